/**
 * Evaluating compiled hours at an instant: a wall-clock conversion, a holiday look-up and
 * a binary search in the week table — O(log n), no parsing. No I/O.
 */
import { isHoliday } from './holidays.ts';
import {
  CLOSED,
  type CompiledHours,
  type HoursState,
  OPEN,
  type Segments,
  UNKNOWN,
  WEEK_MINUTES,
  type WeekHours,
} from './types.ts';
import { fromWallClock, wallClock } from './tz.ts';

const DAY = 86_400_000;
/** How far `nextChange` looks ahead. */
export const HORIZON_MS = 14 * DAY;

/** State at minute `m` of a segment table (binary search over the starts). */
export function lookup(segments: Segments, m: number): HoursState {
  let lo = 0;
  let hi = segments.length / 3 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const start = segments[mid * 3];
    if (m < start) hi = mid - 1;
    else if (m >= segments[mid * 3 + 1]) lo = mid + 1;
    else return segments[mid * 3 + 2] as HoursState;
  }
  return CLOSED;
}

/** The holiday profile that replaces the ordinary day, or null. */
export function holidayProfile(hours: WeekHours, day: number, weekday: number): Segments | null {
  const profiles = hours.holidays;
  if (!profiles) return null;
  const today = isHoliday(hours.region, day);
  const eve = isHoliday(hours.region, day - 1);
  if (today) return (eve ? profiles.secondHoliday : profiles.holiday)[weekday];
  if (eve) return profiles.afterHoliday[weekday];
  return null;
}

function weekStateOn(hours: WeekHours, day: number, weekday: number, minute: number): HoursState {
  const profile = holidayProfile(hours, day, weekday);
  return profile ? lookup(profile, minute) : lookup(hours.week, weekday * 1440 + minute);
}

/** State at an instant; null when the hours are unknown or cannot be evaluated here. */
export function stateAt(hours: CompiledHours, ms: number): HoursState | null {
  if (hours.kind === 'unknown') return null;
  if (hours.kind === 'rules') return hours.evaluator ? hours.evaluator.stateAt(ms) : null;
  const { day, minute, weekday } = wallClock(hours.timeZone, ms);
  return weekStateOn(hours, day, weekday, minute);
}

/**
 * Open at this instant? true / false / null (unknown — never guessed as open). A temporary
 * closure (`closedUntil`, epoch ms) wins over the hours.
 */
export function isOpenAt(hours: CompiledHours, ms: number, closedUntil?: number | null): boolean | null {
  if (closedUntil && ms < closedUntil) return false;
  const state = stateAt(hours, ms);
  if (state === null || state === UNKNOWN) return null;
  return state === OPEN;
}

/** One local day as a full partition `[start, end, state]` of minutes 0–1440. */
export function dayPartition(hours: WeekHours, day: number): Segments {
  const weekday = (((day + 3) % 7) + 7) % 7;
  const profile = holidayProfile(hours, day, weekday);
  const source = profile ?? hours.week;
  const offset = profile ? 0 : weekday * 1440;
  const out: number[] = [];
  let cursor = 0;
  for (let i = 0; i < source.length; i += 3) {
    const start = Math.max(source[i] - offset, 0);
    const end = Math.min(source[i + 1] - offset, 1440);
    if (end <= 0 || start >= 1440) continue;
    if (start > cursor) out.push(cursor, start, CLOSED);
    out.push(start, end, source[i + 2]);
    cursor = end;
  }
  if (cursor < 1440) out.push(cursor, 1440, CLOSED);
  return out;
}

/**
 * Minutes from week minute `m` to the next change of state in an ordinary week table, or
 * null when the state never changes (24/7, always closed). Binary search: O(log n).
 */
export function weekNextBoundary(week: Segments, m: number): number | null {
  const n = week.length / 3;
  if (n === 0) return null;
  if (n === 1 && week[0] === 0 && week[1] === WEEK_MINUTES) return null;
  // First segment ending after m.
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (week[mid * 3 + 1] <= m) lo = mid + 1;
    else hi = mid;
  }
  if (lo === n) return week[0] + WEEK_MINUTES - m; // in the closed gap before the week wraps
  const start = week[lo * 3];
  if (m < start) return start - m; // in a closed gap
  const end = week[lo * 3 + 1];
  // The last segment may continue into the first one across Sunday midnight.
  if (end === WEEK_MINUTES && week[0] === 0 && week[2] === week[lo * 3 + 2] && lo !== 0) {
    return week[1] + WEEK_MINUTES - m;
  }
  return end - m;
}

/** Next instant the state changes (within 14 days), or null (24/7, always closed, unknown). */
export function nextChange(hours: CompiledHours, ms: number): number | null {
  if (hours.kind === 'unknown') return null;
  if (hours.kind === 'rules') return hours.evaluator ? hours.evaluator.nextChange(ms, ms + HORIZON_MS) : null;
  const now = wallClock(hours.timeZone, ms);
  if (!holidayProfile(hours, now.day, now.weekday)) {
    const ahead = weekNextBoundary(hours.week, now.weekday * 1440 + now.minute);
    if (ahead === null && !hours.holidays) return null;
    if (ahead !== null) {
      const target = now.minute + ahead;
      const lastDay = now.day + Math.floor(target / 1440);
      let ordinary = true;
      for (let d = now.day + 1; d <= lastDay && ordinary; d++) {
        if (holidayProfile(hours, d, (((d + 3) % 7) + 7) % 7)) ordinary = false;
      }
      if (ordinary) {
        const at = fromWallClock(hours.timeZone, now.day, target);
        if (at > ms) return at;
      }
    }
  }
  return scanNextChange(hours, ms);
}

/** Day-by-day scan, for the days a public holiday changes. */
function scanNextChange(hours: WeekHours, ms: number): number | null {
  const now = wallClock(hours.timeZone, ms);
  const current = weekStateOn(hours, now.day, now.weekday, now.minute);
  for (let day = now.day; day <= now.day + 14; day++) {
    const part = dayPartition(hours, day);
    for (let i = 0; i < part.length; i += 3) {
      if (day === now.day && part[i + 1] <= now.minute + 1) continue;
      if (part[i + 2] !== current) {
        const start = day === now.day ? Math.max(part[i], now.minute + 1) : part[i];
        const at = fromWallClock(hours.timeZone, day, start);
        if (at > ms) return at;
      }
    }
  }
  return null;
}

export interface OpenStatus {
  openNow: boolean | null;
  /** When closed: the next opening (epoch ms), if within two weeks. */
  opensAt: number | null;
  /** When open: the next closing or change to unknown (epoch ms). */
  closesAt: number | null;
}

/** Open now, and when it closes or opens next, honouring a temporary closure. */
export function openStatus(hours: CompiledHours, ms: number, closedUntil?: number | null): OpenStatus {
  if (closedUntil && ms < closedUntil) {
    return { openNow: false, opensAt: nextOpening(hours, closedUntil), closesAt: null };
  }
  const openNow = isOpenAt(hours, ms);
  if (openNow === true) return { openNow, opensAt: null, closesAt: nextChange(hours, ms) };
  if (openNow === false) return { openNow, opensAt: nextOpening(hours, ms), closesAt: null };
  return { openNow: null, opensAt: null, closesAt: null };
}

/** First instant ≥ ms at which the place is open, within the horizon. */
function nextOpening(hours: CompiledHours, ms: number): number | null {
  if (stateAt(hours, ms) === OPEN) return ms;
  let t = ms;
  for (let i = 0; i < 64; i++) {
    const next = nextChange(hours, t);
    if (next === null || next > ms + HORIZON_MS) return null;
    if (stateAt(hours, next) === OPEN) return next;
    t = next;
  }
  return null;
}
