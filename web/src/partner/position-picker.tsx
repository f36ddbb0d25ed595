/**
 * Where the venue is: the phone's position (the partner stands in the venue), a pin on a
 * small map when a base map exists, or latitude and longitude typed in.
 */
import { lazy, Suspense, useEffect, useId, useState } from 'react';
import { hasBaseMap } from '../places/map-style.ts';
import { usePartnerT } from './i18n.ts';

const PinMap = lazy(() => import('./pin-map.tsx'));

export interface LatLon {
  lat: number;
  lon: number;
}

const fixed = (v: number) => v.toFixed(6);

export function PositionPicker({
  value,
  error,
  onChange,
}: {
  value: LatLon | null;
  error: string | null;
  onChange(next: LatLon | null): void;
}) {
  const { t } = usePartnerT();
  const id = useId();
  const [locating, setLocating] = useState(false);
  const [denied, setDenied] = useState(false);
  const [lat, setLat] = useState(value ? fixed(value.lat) : '');
  const [lon, setLon] = useState(value ? fixed(value.lon) : '');
  const [withMap, setWithMap] = useState(false);

  useEffect(() => {
    void hasBaseMap().then(setWithMap);
  }, []);

  const set = (next: LatLon) => {
    setLat(fixed(next.lat));
    setLon(fixed(next.lon));
    onChange(next);
  };

  const typed = (nextLat: string, nextLon: string) => {
    setLat(nextLat);
    setLon(nextLon);
    const a = Number(nextLat.replace(',', '.'));
    const b = Number(nextLon.replace(',', '.'));
    const ok = nextLat.trim() && nextLon.trim() && Math.abs(a) <= 90 && Math.abs(b) <= 180;
    onChange(ok && Number.isFinite(a) && Number.isFinite(b) ? { lat: a, lon: b } : null);
  };

  const locate = () => {
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      ({ coords }) => {
        setLocating(false);
        setDenied(false);
        set({ lat: coords.latitude, lon: coords.longitude });
      },
      () => {
        setLocating(false);
        setDenied(true);
      },
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  };

  return (
    <fieldset className="position-picker" aria-describedby={`${id}-hint`}>
      <legend>{t('fields.position')}</legend>
      <p id={`${id}-hint`} className="field-hint">
        {t(withMap ? 'fields.positionHintMap' : 'fields.positionHint')}
      </p>
      {error && <p className="field-error">{error}</p>}
      <button
        type="button"
        className="button secondary"
        onClick={locate}
        aria-disabled={locating || undefined}
      >
        {locating ? t('fields.locating') : t('fields.useMyPosition')}
      </button>
      {denied && <p className="field-hint">{t('fields.positionDenied')}</p>}
      {withMap && (
        <Suspense fallback={null}>
          <PinMap value={value} label={t('fields.position')} onChange={set} />
        </Suspense>
      )}
      <div className="latlon">
        <div className="field">
          <label htmlFor={`${id}-lat`}>{t('fields.lat')}</label>
          <input
            id={`${id}-lat`}
            inputMode="decimal"
            value={lat}
            onChange={(e) => typed(e.target.value, lon)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-lon`}>{t('fields.lon')}</label>
          <input
            id={`${id}-lon`}
            inputMode="decimal"
            value={lon}
            onChange={(e) => typed(lat, e.target.value)}
          />
        </div>
      </div>
      <p role="status" className="field-hint">
        {value ? t('fields.positionSet', { lat: fixed(value.lat), lon: fixed(value.lon) }) : ''}
      </p>
    </fieldset>
  );
}
