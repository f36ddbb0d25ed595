/**
 * Charts of a territory: counts per category, per ISO week and per hour-of-day × weekday,
 * read from the pre-aggregates. No cell, no place: only the territory as a whole. Every
 * bucket below k (zero included, so that "fewer than k" does not mean "at least one") is
 * reported as null.
 */
import type { Services } from '../server/services.ts';
import { REPORT_CATEGORIES, territoryTimeZone } from '../shared/reports.ts';
import { readCalendarCounts, readCategoryCounts, readHeldCount } from './aggregates.ts';
import { DAY_MS, HOUR_MS, localParts } from './local-time.ts';
import { kOf } from './settings.ts';
import type { HourWindow } from './window.ts';

export interface TerritoryStats {
  k: number;
  total: number;
  held: number;
  categories: { category: string; count: number | null }[];
  weeks: { week: string; count: number | null }[];
  hourWeekday: { weekday: number; hour: number; count: number | null }[];
}

/** The local ISO weeks a window touches, in order. */
export function weeksOf(window: HourWindow, timeZone: string): string[] {
  const weeks: string[] = [];
  const push = (t: number) => {
    const week = localParts(t, timeZone).isoWeek;
    if (weeks[weeks.length - 1] !== week) weeks.push(week);
  };
  for (let t = window.from; t < window.to; t += DAY_MS) push(t);
  push(window.to - HOUR_MS);
  return weeks;
}

export async function territoryStats(
  services: Services,
  territoryCode: string,
  window: HourWindow,
  category?: string,
): Promise<TerritoryStats> {
  const k = kOf(services);
  const db = services.db.kysely;
  const shown = (n: number | undefined) => (n !== undefined && n >= k ? n : null);
  const [perCategory, calendar, held] = await Promise.all([
    readCategoryCounts(db, territoryCode, window, category),
    readCalendarCounts(db, territoryCode, window, category),
    readHeldCount(db, territoryCode, window, category),
  ]);
  const accepted = [...perCategory.values()].reduce((s, n) => s + n, 0);
  const hourWeekday: TerritoryStats['hourWeekday'] = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    for (let hour = 0; hour < 24; hour++) {
      hourWeekday.push({ weekday, hour, count: shown(calendar.hours.get(`${weekday}|${hour}`)) });
    }
  }
  return {
    k,
    total: accepted + held,
    held,
    categories: (category ? [category] : [...REPORT_CATEGORIES]).map((c) => ({
      category: c,
      count: shown(perCategory.get(c)),
    })),
    weeks: weeksOf(window, territoryTimeZone(territoryCode)).map((week) => ({
      week,
      count: shown(calendar.weeks.get(week)),
    })),
    hourWeekday,
  };
}
