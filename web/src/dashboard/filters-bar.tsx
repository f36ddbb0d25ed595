/**
 * Period presets (this week, 4, 13 and 52 weeks), a custom range of weeks (two dates, each
 * standing for its UTC week), and the category.
 */
import { type FormEvent, useId, useState } from 'react';
import { REPORT_CATEGORIES } from '../../../src/shared/reports.ts';
import { useReportsT } from '../reports/i18n.ts';
import { type Filters, type Period, PRESETS, validRange } from './filters.ts';
import { useDashboardT } from './i18n.ts';

const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

export function FiltersBar({ filters, onChange }: { filters: Filters; onChange(next: Filters): void }) {
  const { t } = useDashboardT();
  const { t: rt } = useReportsT();
  const id = useId();
  const [custom, setCustom] = useState(filters.period === 'custom');
  const [from, setFrom] = useState(filters.from);
  const [to, setTo] = useState(filters.to || today());
  const [rangeError, setRangeError] = useState(false);
  const periods: Period[] = [...PRESETS.map((p) => p.id), 'custom'];

  function applyRange(event: FormEvent) {
    event.preventDefault();
    if (!validRange(from, to)) {
      setRangeError(true);
      return;
    }
    setRangeError(false);
    onChange({ ...filters, period: 'custom', from, to });
  }

  return (
    <section className="dashboard-filters" aria-label={t('filters.label')}>
      <fieldset className="dashboard-periods">
        <legend>{t('filters.period')}</legend>
        <div className="segmented-row">
          {periods.map((period) => (
            <label key={period} className="segment">
              <input
                type="radio"
                name={`${id}-period`}
                checked={period === 'custom' ? custom : !custom && filters.period === period}
                onChange={() => {
                  if (period === 'custom') {
                    setCustom(true);
                    return;
                  }
                  setCustom(false);
                  onChange({ ...filters, period, from: '', to: '' });
                }}
              />
              <span>{t(`filters.${period}`)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {custom && (
        <form className="dashboard-range" onSubmit={applyRange} noValidate>
          <div className="field inline-field">
            <label htmlFor={`${id}-from`}>{t('filters.from')}</label>
            <input
              id={`${id}-from`}
              type="date"
              value={from}
              max={to}
              onChange={(e) => setFrom(e.target.value)}
            />
          </div>
          <div className="field inline-field">
            <label htmlFor={`${id}-to`}>{t('filters.to')}</label>
            <input
              id={`${id}-to`}
              type="date"
              value={to}
              min={from}
              onChange={(e) => setTo(e.target.value)}
            />
          </div>
          <button type="submit" className="button secondary">
            {t('filters.apply')}
          </button>
          <p className="field-hint dashboard-range-hint">{t('filters.weeksHint')}</p>
          <div role="alert" className="dashboard-range-error">
            {rangeError && <p className="field-error">{t('filters.badRange')}</p>}
          </div>
        </form>
      )}
      <div className="field inline-field dashboard-category">
        <label htmlFor={`${id}-category`}>{t('filters.category')}</label>
        <select
          id={`${id}-category`}
          value={filters.category}
          onChange={(event) => onChange({ ...filters, category: event.target.value })}
        >
          <option value="">{t('filters.all')}</option>
          {REPORT_CATEGORIES.map((category) => (
            <option key={category} value={category}>
              {rt(`categories.${category}`)}
            </option>
          ))}
        </select>
      </div>
    </section>
  );
}
