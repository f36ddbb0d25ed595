/**
 * Time windows of the dashboard and their decomposition onto the pre-aggregate levels.
 * Pure.
 *
 * Aggregates are kept per bucket at four levels: 1 hour, 1 day, 8 days and 64 days, each
 * aligned on the Unix epoch (UTC). Any window of whole hours is a disjoint union of at most
 * 2·23 hour buckets + 2·7 day buckets + 2·7 eight-day buckets + the 64-day buckets in the
 * middle: a 12-month heatmap reads ~80 buckets × cells rows instead of every report.
 */
import { fail } from '../server/errors.ts';
import { ceilHour, floorHour, HOUR_MS } from './local-time.ts';

/** Bucket size of each level, in hours. Level 0 is the hour bucket of a report. */
export const LEVEL_HOURS = [1, 24, 192, 1536] as const;
export type Level = 0 | 1 | 2 | 3;

export const bucketStart = (hourBucket: number, level: Level): number => {
  const size = LEVEL_HOURS[level] * HOUR_MS;
  return Math.floor(hourBucket / size) * size;
};

/** [from, to): epoch ms, both on hour boundaries. */
export interface HourWindow {
  from: number;
  to: number;
}

export interface LevelRange {
  level: Level;
  /** Buckets of this level whose start is in [start, end), all entirely inside the window. */
  start: number;
  end: number;
}

/** The disjoint level ranges whose buckets exactly cover the window. */
export function decomposeWindow(window: HourWindow): LevelRange[] {
  const ranges: LevelRange[] = [];
  let lo = window.from;
  let hi = window.to;
  if (lo >= hi) return ranges;
  for (let level = 0; level < LEVEL_HOURS.length - 1; level++) {
    const next = LEVEL_HOURS[level + 1] * HOUR_MS;
    const nextLo = Math.ceil(lo / next) * next;
    const nextHi = Math.floor(hi / next) * next;
    if (nextLo >= nextHi) {
      ranges.push({ level: level as Level, start: lo, end: hi });
      return ranges;
    }
    if (lo < nextLo) ranges.push({ level: level as Level, start: lo, end: nextLo });
    if (nextHi < hi) ranges.push({ level: level as Level, start: nextHi, end: hi });
    lo = nextLo;
    hi = nextHi;
  }
  ranges.push({ level: (LEVEL_HOURS.length - 1) as Level, start: lo, end: hi });
  return ranges;
}

/**
 * The window a dashboard asked for, in whole hours: `from` is rounded down and `to` up to
 * the hour (reports only know their hour). Defaults: the last `defaultHours` up to the end
 * of the current hour.
 */
export function resolveWindow(
  query: { from?: string; to?: string },
  now: number,
  limits: { defaultHours: number; maxHours: number },
): HourWindow {
  const parse = (value: string, name: string) => {
    const t = Date.parse(value);
    if (!Number.isFinite(t)) fail('REPORT_BAD_WINDOW', `${name} is not an ISO 8601 instant`);
    return t;
  };
  const to = query.to === undefined ? floorHour(now) + HOUR_MS : ceilHour(parse(query.to, 'to'));
  const from =
    query.from === undefined ? to - limits.defaultHours * HOUR_MS : floorHour(parse(query.from, 'from'));
  if (from >= to) fail('REPORT_BAD_WINDOW', 'from must be before to');
  if (to - from > limits.maxHours * HOUR_MS) {
    fail('REPORT_BAD_WINDOW', `the window may span at most ${limits.maxHours} hours`);
  }
  return { from, to };
}
