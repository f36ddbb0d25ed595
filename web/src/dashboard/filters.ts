/**
 * The dashboard's filters, kept in the address (`?periode=13w&categorie=following`, or
 * `?periode=dates&du=2026-01-05&au=2026-02-01`) so a view can be bookmarked and shared
 * between colleagues. Periods are whole UTC weeks (Monday 00:00 UTC to Monday 00:00 UTC), the
 * release blocks of the k rule: the server widens any range to the weeks it touches. Pure.
 */
import { REPORT_CATEGORIES, REPORT_WINDOWS } from '../../../src/shared/reports.ts';
import type { Query } from './api.ts';

export const PRESETS = REPORT_WINDOWS.presets;
export type PresetId = (typeof PRESETS)[number]['id'];
export type Period = PresetId | 'custom';

export interface Filters {
  period: Period;
  /** `YYYY-MM-DD`, local days, both included (custom period). */
  from: string;
  to: string;
  category: string;
}

const DEFAULT_PERIOD: PresetId = '4w';
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function readFilters(params: URLSearchParams): Filters {
  const raw = params.get('periode');
  const from = params.get('du') ?? '';
  const to = params.get('au') ?? '';
  const custom = raw === 'dates' && DAY.test(from) && DAY.test(to);
  const preset = PRESETS.find((p) => p.id === raw)?.id;
  const category = params.get('categorie') ?? '';
  return {
    period: custom ? 'custom' : (preset ?? DEFAULT_PERIOD),
    from: custom ? from : '',
    to: custom ? to : '',
    category: (REPORT_CATEGORIES as readonly string[]).includes(category) ? category : '',
  };
}

export function writeFilters(filters: Filters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.period === 'custom') {
    params.set('periode', 'dates');
    params.set('du', filters.from);
    params.set('au', filters.to);
  } else if (filters.period !== DEFAULT_PERIOD) {
    params.set('periode', filters.period);
  }
  if (filters.category) params.set('categorie', filters.category);
  return params;
}

/**
 * 00:00 UTC of a `YYYY-MM-DD` day, as an ISO instant. Periods are UTC weeks: a day chosen counts
 * for its own week. Local midnight in Paris is 23:00 UTC the day before, which pulled in the
 * week before a Monday ("week of 23 November" showed two weeks).
 */
const midnight = (day: string, plusDays = 0) => {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + plusDays)).toISOString();
};

const WEEK_MS = 7 * 86_400_000;

/**
 * The API window. A preset of N weeks is the current week and the N − 1 before it (the
 * server rounds `from` down to their Monday); custom days run from the first midnight to the
 * one after the last day, and the server widens them to the weeks they touch.
 */
export function toQuery(filters: Filters, now: number): Query {
  const category = filters.category || undefined;
  if (filters.period === 'custom') {
    return { from: midnight(filters.from), to: midnight(filters.to, 1), category };
  }
  const weeks = PRESETS.find((p) => p.id === filters.period)?.weeks ?? REPORT_WINDOWS.defaultWeeks;
  return { from: new Date(now - (weeks - 1) * WEEK_MS).toISOString(), category };
}

/** Whether new reports can still enter the window (then the live feed refreshes it). */
export const endsNow = (filters: Filters) => filters.period !== 'custom';

export const validRange = (from: string, to: string) => DAY.test(from) && DAY.test(to) && from <= to;
