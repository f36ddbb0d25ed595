/**
 * The bridge to the opening_hours library, which reads dates in the process's local time.
 * We hand it "fake local" dates whose local fields are the place's wall clock, so the
 * library evaluates in the place's zone whatever the zone of the server or browser.
 * No I/O (the library is plain JavaScript and runs in the browser too).
 */
import opening_hours from 'opening_hours';
import { dayNumber } from './holidays.ts';
import { fromWallClock, wallClock } from './tz.ts';
import { type HolidayRegion, LIBRARY_STATE } from './zones.ts';

const DAY = 86_400_000;
const MINUTE = 60_000;

export type Library = InstanceType<typeof opening_hours>;

// mode 0: time ranges only (points in time such as "Mo 12:00" are not opening hours).
const CONF = { mode: 0, tag_key: 'opening_hours', map_value: false, warnings_severity: 4, locale: 'fr' };

/** Warnings that mean the library had to guess what the author meant: we do not guess. */
const GUESSES = new Set(['word_error_correction', 'ambiguous_word']);

/**
 * Parses with the holiday calendar of the region; throws on syntax errors and on values
 * the library only understood by correcting words (`Ma-Di`).
 */
export function parseWithLibrary(value: string, region: HolidayRegion): Library {
  const nominatim = { lat: 0, lon: 0, address: { country_code: 'fr', state: LIBRARY_STATE[region] } };
  // biome-ignore lint/suspicious/noExplicitAny: the typings want enum members for a plain option object
  const oh = new opening_hours(value, nominatim, CONF as any);
  const guessed = oh.getStructuredWarnings().find((w) => GUESSES.has(w.type));
  if (guessed) throw new Error(`opening_hours needed a guess: ${guessed.type}`);
  return oh;
}

/** A process-local Date whose fields show this local day and minute. */
export function fakeLocal(day: number, minute: number): Date {
  const u = new Date(day * DAY + minute * MINUTE);
  return new Date(u.getUTCFullYear(), u.getUTCMonth(), u.getUTCDate(), u.getUTCHours(), u.getUTCMinutes());
}

/** Local day and minute shown by a fake-local Date. */
export function wallOfFake(date: Date): { day: number; minute: number } {
  return {
    day: dayNumber(date.getFullYear(), date.getMonth() + 1, date.getDate()),
    minute: date.getHours() * 60 + date.getMinutes(),
  };
}

/** The fake-local Date of an instant in a zone (minute precision). */
export function fakeOfInstant(timeZone: string, ms: number): Date {
  const { day, minute } = wallClock(timeZone, ms);
  return fakeLocal(day, minute);
}

/** The instant of a fake-local Date in a zone. */
export function instantOfFake(timeZone: string, date: Date): number {
  const { day, minute } = wallOfFake(date);
  return fromWallClock(timeZone, day, minute);
}

/**
 * True when `days` local days from `day` have no daylight-saving change in the process's
 * own zone, so minutes between fake-local dates are plain differences.
 */
export function steadyLocalDays(day: number, days: number): boolean {
  return fakeLocal(day + days, 0).getTime() - fakeLocal(day, 0).getTime() === days * DAY;
}
