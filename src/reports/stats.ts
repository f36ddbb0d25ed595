/**
 * Charts of a territory: counts per category, per UTC week, per local weekday and per band of
 * three local hours, read from the pre-aggregates. No cell, no place: only the territory as a
 * whole, over the same whole weeks as the heatmap, so every view of the dashboard agrees.
 *
 * Each week is released on its own (release.ts, `releasePartition`): a week's category, weekday
 * or band count is shown only from k, and the window shows the sum of what its weeks released.
 * Summed raw, a window one week longer told the week's own counts by difference — 1 report on
 * a Sunday at 01:00 as easily as 5. The weekday × hour grid this replaced had 168 buckets: a
 * week of a busy arrondissement (60 reports) reaches k in almost none of them, while weekdays
 * and three-hour bands keep most reports visible. A window's bucket that released nothing is
 * reported as null (zero included, so that "fewer than k" does not mean "at least one").
 */
import type { Services } from '../server/services.ts';
import { REPORT_CATEGORIES } from '../shared/reports.ts';
import { readHeldCount, readHourWeekdayCounts, readTerritoryCounts } from './aggregates.ts';
import { releasePartition } from './release.ts';
import { kOf } from './settings.ts';
import { type WeekWindow, weekLabel, weekStarts } from './window.ts';

/** Bands of the local day, in hours: 0–3, 3–6, … 21–24. */
export const BAND_HOURS = 3;
const BANDS = Array.from({ length: 24 / BAND_HOURS }, (_, i) => i * BAND_HOURS);
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];

export interface TerritoryStats {
  k: number;
  total: number;
  held: number;
  categories: { category: string; count: number | null }[];
  weeks: { week: string; from: string; count: number | null }[];
  /** 1 = Monday … 7 = Sunday, local time. */
  weekdays: { weekday: number; count: number | null }[];
  /** Local hours [from, to). */
  hourBands: { from: number; to: number; count: number | null }[];
}

/** Sum over weeks of each week's released partition; null where nothing was released. */
function releasedSums<Key>(perWeek: Iterable<Map<Key, number>>, keys: readonly Key[], k: number) {
  const sums = new Map<Key, number>(keys.map((key) => [key, 0]));
  for (const parts of perWeek) {
    for (const [key, n] of releasePartition(parts, keys, k)) sums.set(key, (sums.get(key) ?? 0) + n);
  }
  return (key: Key) => {
    const n = sums.get(key) ?? 0;
    return n > 0 ? n : null;
  };
}

function tally<Key>(rows: { key: Key; n: number }[]) {
  const out = new Map<Key, number>();
  for (const { key, n } of rows) out.set(key, (out.get(key) ?? 0) + n);
  return out;
}

export async function territoryStats(
  services: Services,
  territoryCode: string,
  window: WeekWindow,
  category?: string,
): Promise<TerritoryStats> {
  const k = kOf(services);
  const db = services.db.kysely;
  const [territory, hours, held] = await Promise.all([
    readTerritoryCounts(db, territoryCode, window, category),
    readHourWeekdayCounts(db, territoryCode, window, category),
    readHeldCount(db, territoryCode, window, category),
  ]);
  const accepted = [...territory.weeks.values()].reduce((s, n) => s + n, 0);
  const categoryKeys = category ? [category] : [...REPORT_CATEGORIES];
  const categoryCount = releasedSums(territory.categories.values(), categoryKeys, k);
  const weeksOfHours = [...hours.values()];
  const weekdayCount = releasedSums(
    weeksOfHours.map((rows) => tally(rows.map((r) => ({ key: r.weekday, n: r.n })))),
    WEEKDAYS,
    k,
  );
  const bandCount = releasedSums(
    weeksOfHours.map((rows) => tally(rows.map((r) => ({ key: r.hour - (r.hour % BAND_HOURS), n: r.n })))),
    BANDS,
    k,
  );
  return {
    k,
    total: accepted + held,
    held,
    categories: categoryKeys.map((c) => ({ category: c, count: categoryCount(c) })),
    weeks: weekStarts(window).map((start) => {
      const n = territory.weeks.get(start) ?? 0;
      return { week: weekLabel(start), from: new Date(start).toISOString(), count: n >= k ? n : null };
    }),
    weekdays: WEEKDAYS.map((weekday) => ({ weekday, count: weekdayCount(weekday) })),
    hourBands: BANDS.map((from) => ({ from, to: from + BAND_HOURS, count: bandCount(from) })),
  };
}
