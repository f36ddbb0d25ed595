/**
 * Compiles an OSM `opening_hours` value into a week table plus holiday profiles, using the
 * opening_hours library as the oracle: it is evaluated over a reference week and around
 * reference holidays, so the table says exactly what the library says. Values that are not
 * the same every week (seasons, week numbers, sunrise…) stay rules, evaluated by the
 * library for that place only. Invalid or empty values compile to "unknown". No I/O.
 */
import { dayNumber } from './holidays.ts';
import { fakeLocal, type Library, parseWithLibrary, steadyLocalDays } from './library.ts';
import {
  type CompiledHours,
  type HolidayProfiles,
  type HoursState,
  OPEN,
  type Segments,
  UNKNOWN,
  WEEK_MINUTES,
} from './types.ts';
import type { Zone } from './zones.ts';

const MINUTE = 60_000;

type Core =
  | { kind: 'unknown'; reason: 'none' | 'invalid' }
  | { kind: 'week'; week: Segments; holidays: HolidayProfiles | null }
  | { kind: 'rules'; value: string };

const cache = new Map<string, Core>();

/** Compiles a value for a place in `zone`. Never throws. */
export function compileHours(value: string | null | undefined, zone: Zone): CompiledHours {
  const trimmed = value?.trim() ?? '';
  let core = cache.get(trimmed);
  if (!core) {
    core = compileCore(trimmed);
    if (cache.size > 20_000) cache.clear();
    cache.set(trimmed, core);
  }
  return { ...core, timeZone: zone.timeZone, region: zone.region } as CompiledHours;
}

/** Is this value usable (the library reads it without guessing)? */
export function isValidOpeningHours(value: string): boolean {
  return compileHours(value, { timeZone: 'Europe/Paris', region: 'metropole' }).kind !== 'unknown';
}

function compileCore(value: string): Core {
  if (!value) return { kind: 'unknown', reason: 'none' };
  if (value.length > 1000) return { kind: 'unknown', reason: 'invalid' };
  let metro: Library;
  try {
    metro = parseWithLibrary(value, 'metropole');
  } catch {
    return { kind: 'unknown', reason: 'invalid' };
  }
  if (!isWeeklyApartFromHolidays(value)) return { kind: 'rules', value };
  try {
    const week = weekTable(metro);
    const holidays = CLOSED_ON_HOLIDAYS.test(value)
      ? noShiftOnHolidays(week)
      : /\bPH\b/i.test(value)
        ? holidayProfiles(metro, parseWithLibrary(value, 'alsace-moselle'), week)
        : null;
    return { kind: 'week', week, holidays };
  } catch {
    // No steady reference window in this process's zone: let the library answer.
    return { kind: 'rules', value };
  }
}

/**
 * The library marks any value with holidays as "not week stable". Swapping `PH` for a
 * weekday keeps the syntax and tells whether anything else varies through the year.
 * Solar times vary by date although the library calls them stable.
 */
function isWeeklyApartFromHolidays(value: string): boolean {
  if (/\b(sunrise|sunset|dawn|dusk)\b/i.test(value)) return false;
  try {
    return parseWithLibrary(value.replace(/\bPH\b/gi, 'Mo'), 'metropole').isWeekStable();
  } catch {
    return false; // e.g. "PH +1 day": only the library can read it
  }
}

/** Segments of `days` local days from `day`, in minutes from that day's midnight. */
function segmentsOf(oh: Library, day: number, days: number): Segments {
  if (!steadyLocalDays(day, days)) throw new Error('daylight-saving change in the reference window');
  const from = fakeLocal(day, 0);
  const to = fakeLocal(day + days, 0);
  const out: number[] = [];
  for (const [start, end, unknown] of oh.getOpenIntervals(from, to)) {
    const a = Math.round((start.getTime() - from.getTime()) / MINUTE);
    const b = Math.round((end.getTime() - from.getTime()) / MINUTE);
    const state: HoursState = unknown ? UNKNOWN : OPEN;
    if (b <= a) continue;
    const n = out.length;
    if (n && out[n - 2] === a && out[n - 1] === state) out[n - 2] = b;
    else out.push(a, b, state);
  }
  return out;
}

/** First day from `day` on (stepping by `step`) for which `fn` succeeds. */
function firstSteady<T>(day: number, step: number, fn: (day: number) => T): T {
  for (let i = 0; i < 60; i++) {
    try {
      return fn(day + i * step);
    } catch {}
  }
  throw new Error('no steady reference window');
}

function weekTable(oh: Library): Segments {
  // Weeks of January 2030 hold no public holiday in any French region.
  return firstSteady(dayNumber(2030, 1, 7), 7, (monday) => segmentsOf(oh, monday, 7));
}

const weekdayOf = (day: number) => (((day + 3) % 7) + 7) % 7;

function sliceDay(week: Segments, weekday: number): Segments {
  const out: number[] = [];
  for (let i = 0; i < week.length; i += 3) {
    const a = Math.max(week[i] - weekday * 1440, 0);
    const b = Math.min(week[i + 1] - weekday * 1440, 1440);
    if (b > a) out.push(a, b, week[i + 2]);
  }
  return out;
}

const same = (a: Segments, b: Segments) => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * How a holiday changes the day itself, the day after it, and a second holiday in a row,
 * for each weekday: 14 July (metropolitan calendar: eve and morrow are ordinary days) and
 * 26 December in Alsace-Moselle (the day after Christmas, both holidays).
 */
function holidayProfiles(metro: Library, alsace: Library, week: Segments): HolidayProfiles | null {
  const holiday: (Segments | null)[] = Array(7).fill(null);
  const afterHoliday: (Segments | null)[] = Array(7).fill(null);
  const secondHoliday: (Segments | null)[] = Array(7).fill(null);
  const seen = new Set<number>();
  for (let year = 2030; seen.size < 7 && year < 2100; year++) {
    const d = dayNumber(year, 7, 14);
    const w = weekdayOf(d);
    if (seen.has(w) || !steadyLocalDays(d, 2)) continue;
    seen.add(w);
    const two = segmentsOf(metro, d, 2);
    holiday[w] = differs(sliceDay(two, 0), week, w);
    afterHoliday[(w + 1) % 7] = differs(sliceDay(two, 1), week, (w + 1) % 7);
  }
  seen.clear();
  for (let year = 2030; seen.size < 7 && year < 2100; year++) {
    const d = dayNumber(year, 12, 26);
    const w = weekdayOf(d);
    if (seen.has(w) || !steadyLocalDays(d, 1)) continue;
    seen.add(w);
    secondHoliday[w] = differs(segmentsOf(alsace, d, 1), week, w);
  }
  const none = (list: (Segments | null)[]) => list.every((p) => p === null);
  if (none(holiday) && none(afterHoliday) && none(secondHoliday)) return null;
  return { holiday, afterHoliday, secondHoliday };
}

/**
 * A value ending in `PH off` — what the partner hours editor writes for "closed on public
 * holidays". The library closes the holiday's *calendar day*: a bar open `Mo-Sa 17:00-02:00`
 * would close at midnight on Christmas Eve and reopen 00:00–02:00 on the 26th, after a night
 * it stayed shut. Venues mean "no night starts on a holiday", so such values get shift
 * semantics: the eve's night runs to its end, nothing starts on the holiday, nothing spills
 * into the day after it.
 */
const CLOSED_ON_HOLIDAYS = /;\s*PH\s+(off|closed)\s*$/i;

/**
 * The part of weekday `weekday` (minutes from its midnight) that belongs to a stretch begun
 * the day before: one that crosses the midnight and lasts at most a day. Longer stretches
 * (24/7, `Mo-Fr 00:00-24:00`) are not nights, so a holiday closes its calendar day there.
 */
function spillInto(week: Segments, weekday: number): Segments {
  const midnight = weekday * 1440;
  const n = week.length / 3;
  for (let i = 0; i < n; i++) {
    let start = week[i * 3];
    const end = week[i * 3 + 1];
    const state = week[i * 3 + 2];
    // Monday's first stretch may continue Sunday's last one across the week's end.
    if (
      weekday === 0 &&
      start === 0 &&
      n > 1 &&
      week[n * 3 - 2] === WEEK_MINUTES &&
      week[n * 3 - 1] === state
    ) {
      start = week[n * 3 - 3] - WEEK_MINUTES;
    }
    if (start < midnight && end > midnight && end - start <= 1440) return [0, end - midnight, state];
  }
  return [];
}

function noShiftOnHolidays(week: Segments): HolidayProfiles | null {
  const holiday: (Segments | null)[] = [];
  const afterHoliday: (Segments | null)[] = [];
  const secondHoliday: (Segments | null)[] = [];
  for (let w = 0; w < 7; w++) {
    const spill = spillInto(week, w);
    const spillEnd = spill.length ? spill[1] : 0;
    const ownShifts = sliceDay(week, w).flatMap((_, i, day) =>
      i % 3 === 0 && day[i + 1] > spillEnd ? [Math.max(day[i], spillEnd), day[i + 1], day[i + 2]] : [],
    );
    holiday[w] = differs(spill, week, w);
    afterHoliday[w] = differs(ownShifts, week, w);
    secondHoliday[w] = differs([], week, w);
  }
  const none = (list: (Segments | null)[]) => list.every((p) => p === null);
  if (none(holiday) && none(afterHoliday) && none(secondHoliday)) return null;
  return { holiday, afterHoliday, secondHoliday };
}

function differs(day: Segments, week: Segments, weekday: number): Segments | null {
  return same(day, sliceDay(week, weekday)) ? null : day;
}
