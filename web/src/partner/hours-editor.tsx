/**
 * A friendly weekly hours editor: per weekday closed / open with time ranges / 24 hours,
 * ranges past midnight, closed on public holidays. It writes `opening_hours` text (shown
 * as a preview); a value it cannot show opens in a raw text field instead.
 */
import { useId, useState } from 'react';
import {
  DAY_CODES,
  type DayHours,
  dayProblem,
  emptyWeek,
  fromOpeningHours,
  pastMidnight,
  toOpeningHours,
  type WeekModel,
} from './hours-model.ts';
import { usePartnerT } from './i18n.ts';

export interface HoursValue {
  /** The `opening_hours` text to send (null: no hours). */
  value: string | null;
  /** A problem to fix before sending, already translated; null when fine. */
  problem: string | null;
}

export function initialHours(value: string | null): { week: WeekModel | null; raw: string } {
  return { week: fromOpeningHours(value), raw: value ?? '' };
}

export function HoursEditor({
  initial,
  onChange,
}: {
  initial: string | null;
  onChange(next: HoursValue): void;
}) {
  const { t } = usePartnerT();
  const id = useId();
  const start = initialHours(initial);
  const [week, setWeek] = useState<WeekModel>(start.week ?? emptyWeek());
  const [raw, setRaw] = useState(start.raw);
  const [rawMode, setRawMode] = useState(start.week === null);
  const rawOnly = start.week === null && initial !== null;

  const emit = (nextWeek: WeekModel, nextRaw: string, nextRawMode: boolean) => {
    if (nextRawMode) {
      onChange({ value: nextRaw.trim() || null, problem: null });
      return;
    }
    const bad = nextWeek.days.map(dayProblem).find((p) => p !== null);
    onChange({
      value: toOpeningHours(nextWeek),
      problem: bad ? t('validation.hours', { problem: t(`hours.problems.${bad}`) }) : null,
    });
  };

  const setDay = (index: number, day: DayHours) => {
    const next = { ...week, days: week.days.map((d, i) => (i === index ? day : d)) };
    setWeek(next);
    emit(next, raw, false);
  };

  const preview = toOpeningHours(week);

  if (rawMode) {
    return (
      <fieldset className="hours-editor">
        <legend>{t('hours.legend')}</legend>
        {rawOnly && <p className="field-hint">{t('hours.rawOnly')}</p>}
        <div className="field">
          <label htmlFor={`${id}-raw`}>{t('hours.raw')}</label>
          <p id={`${id}-raw-hint`} className="field-hint">
            {t('hours.rawHint')}
          </p>
          <input
            id={`${id}-raw`}
            aria-describedby={`${id}-raw-hint`}
            value={raw}
            spellCheck={false}
            autoCapitalize="none"
            onChange={(e) => {
              setRaw(e.target.value);
              emit(week, e.target.value, true);
            }}
          />
        </div>
        {!rawOnly || fromOpeningHours(raw) ? (
          <button
            type="button"
            className="link-button"
            onClick={() => {
              const parsed = fromOpeningHours(raw);
              const next = parsed ?? week;
              setWeek(next);
              setRawMode(false);
              emit(next, raw, false);
            }}
          >
            {t('hours.simple')}
          </button>
        ) : null}
      </fieldset>
    );
  }

  return (
    <fieldset className="hours-editor">
      <legend>{t('hours.legend')}</legend>
      <p className="field-hint">{t('hours.hint')}</p>
      {week.days.map((day, index) => {
        const code = DAY_CODES[index];
        const problem = dayProblem(day);
        const dayName = t(`hours.days.${code}`);
        return (
          <div key={code} className="hours-day">
            <div className="hours-day-head">
              <span className="hours-day-name" aria-hidden="true">
                {dayName}
              </span>
              <select
                aria-label={dayName}
                value={day.mode}
                onChange={(e) => {
                  const mode = e.target.value as DayHours['mode'];
                  setDay(index, {
                    mode,
                    ranges:
                      mode === 'open' && day.ranges.length === 0
                        ? [{ from: '09:00', to: '18:00' }]
                        : day.ranges,
                  });
                }}
              >
                <option value="closed">{t('hours.closed')}</option>
                <option value="open">{t('hours.open')}</option>
                <option value="allDay">{t('hours.allDay')}</option>
              </select>
            </div>
            {day.mode === 'open' && (
              <ul className="hours-ranges">
                {day.ranges.map((range, r) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: ranges have no identity but their place
                  <li key={r}>
                    <label>
                      <span className="visually-hidden">
                        {dayName} {r + 1}, {t('hours.from')}
                      </span>
                      <input
                        type="time"
                        value={range.from}
                        onChange={(e) =>
                          setDay(index, {
                            ...day,
                            ranges: day.ranges.map((x, i) => (i === r ? { ...x, from: e.target.value } : x)),
                          })
                        }
                      />
                    </label>
                    <span aria-hidden="true">–</span>
                    <label>
                      <span className="visually-hidden">
                        {dayName} {r + 1}, {t('hours.to')}
                      </span>
                      <input
                        type="time"
                        value={range.to}
                        onChange={(e) =>
                          setDay(index, {
                            ...day,
                            ranges: day.ranges.map((x, i) => (i === r ? { ...x, to: e.target.value } : x)),
                          })
                        }
                      />
                    </label>
                    <button
                      type="button"
                      className="icon-button"
                      aria-label={t('hours.removeRange', { from: range.from, to: range.to })}
                      onClick={() => setDay(index, { ...day, ranges: day.ranges.filter((_, i) => i !== r) })}
                    >
                      ×
                    </button>
                    {pastMidnight(range) && <span className="next-day">({t('hours.nextDay')})</span>}
                  </li>
                ))}
                <li>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => setDay(index, { ...day, ranges: [...day.ranges, { from: '', to: '' }] })}
                  >
                    + {t('hours.addRange')}
                  </button>
                </li>
              </ul>
            )}
            {problem && <p className="field-error">{t(`hours.problems.${problem}`)}</p>}
          </div>
        );
      })}
      <div className="hours-tools">
        <button
          type="button"
          className="link-button"
          onClick={() => {
            const monday = week.days[0];
            const next = {
              ...week,
              days: week.days.map(() => ({
                mode: monday.mode,
                ranges: monday.ranges.map((r) => ({ ...r })),
              })),
            };
            setWeek(next);
            emit(next, raw, false);
          }}
        >
          {t('hours.copyMonday')}
        </button>
        <div className="check">
          <input
            id={`${id}-ph`}
            type="checkbox"
            checked={week.holidaysClosed}
            onChange={(e) => {
              const next = { ...week, holidaysClosed: e.target.checked };
              setWeek(next);
              emit(next, raw, false);
            }}
          />
          <label htmlFor={`${id}-ph`}>{t('hours.holidaysClosed')}</label>
        </div>
      </div>
      <p className="hours-preview">
        {t('hours.preview')} <code>{preview ?? t('hours.none')}</code>
      </p>
      <button
        type="button"
        className="link-button"
        onClick={() => {
          const text = preview ?? '';
          setRaw(text);
          setRawMode(true);
          emit(week, text, true);
        }}
      >
        {t('hours.advanced')}
      </button>
    </fieldset>
  );
}
