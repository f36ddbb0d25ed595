/**
 * Charts of the chosen window, in plain SVG (no chart library: a few hundred bytes each):
 * reports per week, per weekday, per band of hours, per category. A bucket under k is drawn greyed as
 * "fewer than k", never as a number. Each chart has its data as a table.
 */

import { territoryTimeZone } from '../../../src/shared/reports.ts';
import { formatLocale } from '../i18n/locale.ts';
import { useReportsT } from '../reports/i18n.ts';
import type { Stats } from './api.ts';
import { useDashboardT } from './i18n.ts';

/** Weekday names (1 = Monday … 7 = Sunday) in the interface language. */
function weekdayNames(lang: 'fr' | 'en', style: 'long' | 'short'): string[] {
  const format = new Intl.DateTimeFormat(formatLocale(lang), {
    weekday: style,
    timeZone: 'UTC',
  });
  return [1, 2, 3, 4, 5, 6, 7].map((d) => format.format(Date.UTC(2024, 0, d))); // 2024-01-01 is a Monday
}

function DataTable({
  caption,
  head,
  rows,
}: {
  caption: string;
  head: string[];
  rows: (string | number)[][];
}) {
  const { t } = useDashboardT();
  return (
    <details className="dashboard-table-details">
      <summary>{t('charts.data')}</summary>
      <div className="table-scroll">
        <table className="data-table">
          <caption>{caption}</caption>
          <thead>
            <tr>
              {head.map((cell) => (
                <th key={cell} scope="col">
                  {cell}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={String(row[0])}>
                {row.map((cell, index) =>
                  index === 0 ? (
                    <th key={`h${cell}`} scope="row">
                      {cell}
                    </th>
                  ) : (
                    <td key={head[index]} className="number">
                      {cell}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

export function WeekChart({ stats }: { stats: Stats }) {
  const { t } = useDashboardT();
  const weeks = stats.weeks;
  const W = 720;
  const H = 180;
  const left = 36;
  const bottom = 22;
  const max = Math.max(stats.k, ...weeks.map((w) => w.count ?? 0));
  const step = (W - left) / Math.max(1, weeks.length);
  const every = Math.ceil(weeks.length / 12);
  const y = (n: number) => H - bottom - (n / max) * (H - bottom - 8);
  const below = t('charts.belowK', { k: stats.k });
  return (
    <section className="card dashboard-chart" aria-labelledby="chart-weeks">
      <h2 id="chart-weeks">{t('charts.weeks')}</h2>
      <svg viewBox={`0 0 ${W} ${H}`} className="chart" role="img" aria-labelledby="chart-weeks">
        {[0, Math.round(max / 2), max].map((tick) => (
          <g key={tick} className="axis">
            <line x1={left} x2={W} y1={y(tick)} y2={y(tick)} />
            <text x={left - 6} y={y(tick) + 4} textAnchor="end">
              {tick}
            </text>
          </g>
        ))}
        {weeks.map((week, index) => {
          const width = Math.max(1, Math.min(step * 0.7, 56)); // one week of a short window: not a wall
          const x = left + index * step + (step - width) / 2;
          return (
            <g key={week.week}>
              {week.count === null ? (
                <rect className="below-k" x={x} y={y(0) - 3} width={width} height={3}>
                  <title>{`${week.week} : ${below}`}</title>
                </rect>
              ) : (
                <rect className="bar" x={x} y={y(week.count)} width={width} height={y(0) - y(week.count)}>
                  <title>{`${week.week} : ${week.count}`}</title>
                </rect>
              )}
              {index % every === 0 && (
                <text className="axis-label" x={x + width / 2} y={H - 6} textAnchor="middle">
                  {t('charts.weekShort', { n: Number(week.week.slice(-2)) })}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <DataTable
        caption={t('charts.weeks')}
        head={[t('charts.week'), t('charts.count')]}
        rows={weeks.map((w) => [w.week, w.count ?? below])}
      />
    </section>
  );
}

/** Horizontal bars with their counts, "fewer than k" greyed: categories, weekdays, bands. */
function Bars({
  id,
  title,
  bars,
  k,
  note,
}: {
  id: string;
  title: string;
  bars: [string, number | null][];
  k: number;
  note?: string;
}) {
  const { t } = useDashboardT();
  const max = Math.max(1, ...bars.map(([, count]) => count ?? 0));
  const below = t('charts.belowK', { k });
  return (
    <section className="card dashboard-chart" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <ul className="category-bars">
        {bars.map(([label, count]) => (
          <li key={label}>
            <span className="category-name">{label}</span>
            <span className="category-track" aria-hidden="true">
              <span
                className={`category-fill ${count === null ? 'below-k' : 'bar'}`}
                style={{ width: count === null ? '2%' : `${(count / max) * 100}%` }}
              />
            </span>
            <span className="category-count">{count ?? below}</span>
          </li>
        ))}
      </ul>
      {note && <p className="field-hint">{note}</p>}
    </section>
  );
}

/**
 * When reports happen: per weekday and per band of three hours (each week released on its own),
 * on the territory's clock (reports keep their local hour and weekday), which the titles say:
 * the weeks around them are UTC weeks.
 */
export function WhenCharts({ stats, code }: { stats: Stats; code: string }) {
  const { t, lang } = useDashboardT();
  const names = weekdayNames(lang, 'long');
  const zone = territoryTimeZone(code);
  const local = t('charts.localTime', {
    zone: t(`charts.zones.${zone.replace('/', '_')}` as 'charts.zones.Europe_Paris', { defaultValue: zone }),
  });
  return (
    <>
      <Bars
        id="chart-weekdays"
        title={`${t('charts.weekdays')} · ${local}`}
        k={stats.k}
        bars={stats.weekdays.map((d) => [names[d.weekday - 1], d.count])}
      />
      <Bars
        id="chart-hours"
        title={`${t('charts.hours')} · ${local}`}
        k={stats.k}
        bars={stats.hourBands.map((b) => [t('charts.band', { from: b.from, to: b.to }), b.count])}
        note={t('charts.hiddenNote', { k: stats.k })}
      />
    </>
  );
}

export function CategoryBars({ stats }: { stats: Stats }) {
  const { t } = useDashboardT();
  const { t: rt } = useReportsT();
  const label = (category: string) => rt(`categories.${category}` as 'categories.other');
  return (
    <Bars
      id="chart-categories"
      title={t('charts.categories')}
      k={stats.k}
      bars={stats.categories.map((c) => [label(c.category), c.count])}
      note={t('charts.hiddenNote', { k: stats.k })}
    />
  );
}
