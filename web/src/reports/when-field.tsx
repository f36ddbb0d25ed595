/** "When?": just now, or earlier (up to 30 days back) with a date-and-time picker. */
import { useId } from 'react';
import { REPORT_LIMITS } from '../../../src/shared/reports.ts';
import { useReportsT } from './i18n.ts';
import { DAY_MS, toLocalInput, type When } from './when.ts';

export function WhenField({
  value,
  onChange,
  error,
}: {
  value: When;
  onChange(value: When): void;
  error: string | null;
}) {
  const { t } = useReportsT();
  const id = useId();
  const now = Date.now();
  return (
    <fieldset className="report-fieldset">
      <legend>{t('when.legend')}</legend>
      <div className="segmented">
        {(['now', 'earlier'] as const).map((mode) => (
          <label key={mode} className="segment">
            <input
              type="radio"
              name={`${id}-when`}
              value={mode}
              checked={value.mode === mode}
              onChange={() => onChange({ mode, local: value.local || toLocalInput(now - 60 * 60_000) })}
            />
            <span>{t(`when.${mode}`)}</span>
          </label>
        ))}
      </div>
      {value.mode === 'earlier' && (
        <div className="field">
          <label htmlFor={`${id}-at`}>{t('when.pick')}</label>
          <p id={`${id}-hint`} className="field-hint">
            {t('when.hint')}
          </p>
          {error && (
            <p id={`${id}-error`} className="field-error">
              {error}
            </p>
          )}
          <input
            id={`${id}-at`}
            type="datetime-local"
            value={value.local}
            min={toLocalInput(now - REPORT_LIMITS.maxAgeDays * DAY_MS + 60_000)}
            max={toLocalInput(now)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error ${id}-hint` : `${id}-hint`}
            onChange={(event) => onChange({ mode: 'earlier', local: event.target.value })}
          />
        </div>
      )}
    </fieldset>
  );
}
