/**
 * Charts of a territory: counts per category, per UTC week and per hour-of-day × weekday
 * (local time), read from the pre-aggregates. No cell, no place: only the territory as a
 * whole, over the same whole weeks as the heatmap, so every view of the dashboard agrees.
 * Every bucket below k (zero included, so that "fewer than k" does not mean "at least one")
 * is reported as null.
 */
import type { Services } from '../server/services.ts';
import { REPORT_CATEGORIES } from '../shared/reports.ts';
import { readHeldCount, readHourWeekdayCounts, readTerritoryCounts } from './aggregates.ts';
import { kOf } from './settings.ts';
import { type WeekWindow, weekLabel, weekStarts } from './window.ts';

export interface TerritoryStats {
  k: number;
  total: number;
  held: number;
  categories: { category: string; count: number | null }[];
  weeks: { week: string; from: string; count: number | null }[];
  hourWeekday: { weekday: number; hour: number; count: number | null }[];
}

export async function territoryStats(
  services: Services,
  territoryCode: string,
  window: WeekWindow,
  category?: string,
): Promise<TerritoryStats> {
  const k = kOf(services);
  const db = services.db.kysely;
  const shown = (n: number | undefined) => (n !== undefined && n >= k ? n : null);
  const [territory, hours, held] = await Promise.all([
    readTerritoryCounts(db, territoryCode, window, category),
    readHourWeekdayCounts(db, territoryCode, window, category),
    readHeldCount(db, territoryCode, window, category),
  ]);
  const accepted = [...territory.categories.values()].reduce((s, n) => s + n, 0);
  const hourWeekday: TerritoryStats['hourWeekday'] = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    for (let hour = 0; hour < 24; hour++) {
      hourWeekday.push({ weekday, hour, count: shown(hours.get(`${weekday}|${hour}`)) });
    }
  }
  return {
    k,
    total: accepted + held,
    held,
    categories: (category ? [category] : [...REPORT_CATEGORIES]).map((c) => ({
      category: c,
      count: shown(territory.categories.get(c)),
    })),
    weeks: weekStarts(window).map((start) => ({
      week: weekLabel(start),
      from: new Date(start).toISOString(),
      count: shown(territory.weeks.get(start)),
    })),
    hourWeekday,
  };
}
