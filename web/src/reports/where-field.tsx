/** "Where?": the phone's current position, or a point on a small map (also the fallback when location is refused). */
import { lazy, Suspense, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useReportsT } from './i18n.ts';
import type { Point } from './location-picker.tsx';
import type { useGeolocation } from './use-geolocation.ts';

const LocationPicker = lazy(() => import('./location-picker.tsx'));

export interface Where {
  mode: 'here' | 'map';
  picked: Point | null;
}

export function WhereField({
  geo,
  value,
  onChange,
  error,
}: {
  geo: ReturnType<typeof useGeolocation>;
  value: Where;
  onChange(value: Where): void;
  error: string | null;
}) {
  const { t } = useReportsT();
  const { t: appT } = useTranslation();
  const id = useId();
  const unavailable = geo.status === 'denied' || geo.status === 'unsupported';
  return (
    <fieldset className="report-fieldset" aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{t('where.legend')}</legend>
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
      <div className="segmented">
        {(['here', 'map'] as const).map((mode) => (
          <label key={mode} className="segment">
            <input
              type="radio"
              name={`${id}-where`}
              value={mode}
              checked={value.mode === mode}
              onChange={() => {
                if (mode === 'here' && geo.status !== 'found') geo.locate();
                onChange({ ...value, mode });
              }}
            />
            <span>{t(`where.${mode}`)}</span>
          </label>
        ))}
      </div>
      <div role="status" className="report-geo">
        {value.mode === 'here' && geo.status === 'locating' && <p>{t('where.locating')}</p>}
        {value.mode === 'here' && geo.status === 'found' && geo.position && (
          <p className="report-geo-found">{t('where.found', { m: geo.position.accuracy })}</p>
        )}
        {unavailable && (
          <p className="report-notice warn">
            {t(geo.status === 'unsupported' ? 'where.unsupported' : 'where.denied')}{' '}
            {geo.status === 'denied' && (
              <button type="button" className="link-button" onClick={geo.locate}>
                {t('where.retry')}
              </button>
            )}
          </p>
        )}
      </div>
      {value.mode === 'map' && (
        <Suspense fallback={<p className="loading">{appT('app.loading')}</p>}>
          <LocationPicker
            start={geo.position}
            picked={value.picked}
            onPick={(picked) => onChange({ mode: 'map', picked })}
          />
        </Suspense>
      )}
    </fieldset>
  );
}
