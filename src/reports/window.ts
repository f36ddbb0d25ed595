/**
 * Time windows of the dashboard: sets of whole UTC weeks. Pure.
 *
 * The UTC week (Monday 00:00 UTC to the next Monday) is the dashboard's *release block*
 * (privacy rule 3 as refined in docs/ARCHITECTURE.md): counts are folded under k per week,
 * and every window is a sum of released weeks (see release.ts for why this stops
 * differencing). So a window can only start and end on a Monday 00:00 UTC: `from` is rounded
 * down and `to` up to one, and the answer says which weeks it covers.
 */
import { fail } from '../server/errors.ts';
import { DAY_MS, isoWeekOf } from './local-time.ts';

export const WEEK_MS = 7 * DAY_MS;
/** 1970-01-01 was a Thursday: the first Monday 00:00 UTC of the epoch is 4 days later. */
const FIRST_MONDAY = 4 * DAY_MS;

/** Monday 00:00 UTC of the week `t` is in. */
export const weekStart = (t: number): number =>
  Math.floor((t - FIRST_MONDAY) / WEEK_MS) * WEEK_MS + FIRST_MONDAY;

/** The first Monday 00:00 UTC at or after `t`. */
export const weekCeil = (t: number): number => {
  const start = weekStart(t);
  return start === t ? t : start + WEEK_MS;
};

/** ISO week label of a UTC week, e.g. `2026-W48` (the ISO week of its Monday). */
export function weekLabel(start: number): string {
  const d = new Date(start);
  return isoWeekOf(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** [from, to): epoch ms, both Mondays 00:00 UTC. */
export interface WeekWindow {
  from: number;
  to: number;
}

export const weekCount = (window: WeekWindow): number => Math.round((window.to - window.from) / WEEK_MS);

/** The start of every week of the window, in order. */
export function weekStarts(window: WeekWindow): number[] {
  const starts: number[] = [];
  for (let t = window.from; t < window.to; t += WEEK_MS) starts.push(t);
  return starts;
}

/** The current week, so far: the live feed's window. */
export const currentWeek = (now: number): WeekWindow => {
  const from = weekStart(now);
  return { from, to: from + WEEK_MS };
};

/**
 * The window a dashboard asked for, in whole UTC weeks: `from` is rounded down and `to` up
 * to Monday 00:00 UTC. Defaults: `to` is the end of the current week, `from` `defaultWeeks`
 * before it (the current week included).
 */
export function resolveWindow(
  query: { from?: string; to?: string },
  now: number,
  limits: { defaultWeeks: number; maxWeeks: number },
): WeekWindow {
  const parse = (value: string, name: string) => {
    const t = Date.parse(value);
    if (!Number.isFinite(t)) fail('REPORT_BAD_WINDOW', `${name} is not an ISO 8601 instant`);
    return t;
  };
  const rawTo = query.to === undefined ? undefined : parse(query.to, 'to');
  const rawFrom = query.from === undefined ? undefined : parse(query.from, 'from');
  // Checked before rounding: a reversed window within one week is still a mistake.
  if (rawFrom !== undefined && rawTo !== undefined && rawFrom >= rawTo) {
    fail('REPORT_BAD_WINDOW', 'from must be before to');
  }
  const to = rawTo === undefined ? currentWeek(now).to : weekCeil(rawTo);
  const from = rawFrom === undefined ? to - limits.defaultWeeks * WEEK_MS : weekStart(rawFrom);
  if (from >= to) fail('REPORT_BAD_WINDOW', 'from must be before to');
  if (to - from > limits.maxWeeks * WEEK_MS) {
    fail('REPORT_BAD_WINDOW', `the window may span at most ${limits.maxWeeks} weeks`);
  }
  return { from, to };
}
