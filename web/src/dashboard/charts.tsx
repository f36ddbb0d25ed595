/**
 * Charts of the chosen window, in plain SVG (no chart library: a few hundred bytes each):
 * reports per week, per hour × weekday, per category. A bucket under k is drawn greyed as
 * "fewer than k", never as a number. Each chart has its data as a table.
 */

import { formatLocale } from '../i18n/locale.ts';
import { useReportsT } from '../reports/i18n.ts';
import type { Stats } from './api.ts';
import { useDashboardT } from './i18n.ts';
import { classBreaks, colourOf } from './scale.ts';

/** Weekday names (1 = Monday … 7 = Sunday) in the interface language. */
function weekdayNames(lang: 'fr' | 'en', style: 'long' | 'short'): string[] {
  const format = new Intl.DateTimeFormat(formatLocale(lang), {
    weekday: style,
    timeZone: 'UTC',
  });
  return [1, 2, 3, 4, 5, 6, 7].map((d) => format.format(Date.UTC(2024, 0, d))); // 2024-01-01 is a Monday
}

const weekLabel = (week: string) => week.replace(/^\d{4}-W/, 'S');

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
                  {weekLabel(week.week)}
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

export function HourMatrix({ stats }: { stats: Stats }) {
  const { t, lang } = useDashboardT();
  const names = weekdayNames(lang, 'short');
  const longNames = weekdayNames(lang, 'long');
  const counts = new Map(stats.hourWeekday.map((c) => [`${c.weekday}|${c.hour}`, c.count]));
  const max = Math.max(stats.k, ...stats.hourWeekday.map((c) => c.count ?? 0));
  const breaks = classBreaks(stats.k, max);
  const cellW = 26;
  const cellH = 22;
  const left = 44;
  const top = 18;
  const below = t('charts.belowK', { k: stats.k });
  const hours = Array.from({ length: 24 }, (_, h) => h);
  return (
    <section className="card dashboard-chart" aria-labelledby="chart-hours">
      <h2 id="chart-hours">{t('charts.hours')}</h2>
      <svg
        viewBox={`0 0 ${left + 24 * cellW} ${top + 7 * cellH}`}
        className="chart"
        role="img"
        aria-labelledby="chart-hours"
      >
        {hours
          .filter((h) => h % 3 === 0)
          .map((h) => (
            <text key={h} className="axis-label" x={left + h * cellW + cellW / 2} y={12} textAnchor="middle">
              {t('charts.hourLabel', { h })}
            </text>
          ))}
        {names.map((name, row) => (
          <g key={name}>
            <text className="axis-label" x={left - 6} y={top + row * cellH + cellH / 2 + 4} textAnchor="end">
              {name}
            </text>
            {hours.map((h) => {
              const count = counts.get(`${row + 1}|${h}`) ?? null;
              return (
                <rect
                  key={h}
                  x={left + h * cellW + 1}
                  y={top + row * cellH + 1}
                  width={cellW - 2}
                  height={cellH - 2}
                  rx={3}
                  className={count === null ? 'below-k' : undefined}
                  style={count === null ? undefined : { fill: colourOf(count, breaks) }}
                >
                  <title>{`${longNames[row]} ${t('charts.hourLabel', { h })} : ${count ?? below}`}</title>
                </rect>
              );
            })}
          </g>
        ))}
      </svg>
      <p className="field-hint">{t('charts.hiddenNote', { k: stats.k })}</p>
      <DataTable
        caption={t('charts.hours')}
        head={[t('charts.weekday'), ...hours.map((h) => t('charts.hourLabel', { h }))]}
        rows={longNames.map((name, row) => [
          name,
          ...hours.map((h) => counts.get(`${row + 1}|${h}`) ?? below),
        ])}
      />
    </section>
  );
}

export function CategoryBars({ stats }: { stats: Stats }) {
  const { t } = useDashboardT();
  const { t: rt } = useReportsT();
  const max = Math.max(1, ...stats.categories.map((c) => c.count ?? 0));
  const below = t('charts.belowK', { k: stats.k });
  const label = (category: string) => rt(`categories.${category}` as 'categories.other');
  return (
    <section className="card dashboard-chart" aria-labelledby="chart-categories">
      <h2 id="chart-categories">{t('charts.categories')}</h2>
      <ul className="category-bars">
        {stats.categories.map((c) => (
          <li key={c.category}>
            <span className="category-name">{label(c.category)}</span>
            <span className="category-track" aria-hidden="true">
              <span
                className={`category-fill ${c.count === null ? 'below-k' : 'bar'}`}
                style={{ width: c.count === null ? '2%' : `${(c.count / max) * 100}%` }}
              />
            </span>
            <span className="category-count">{c.count ?? below}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
