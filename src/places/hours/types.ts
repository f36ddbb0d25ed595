/**
 * Compiled opening hours: what the index and the PWA evaluate, with no parsing per query.
 * Plain JSON (except a rules evaluator, re-attached after loading), so the same object
 * travels in the offline export. No I/O.
 */
import type { HolidayRegion } from './zones.ts';

export const CLOSED = 0;
export const OPEN = 1;
/** The hours say "unknown" here (open end, "sur rendez-vous", `unknown`): never shown as open. */
export const UNKNOWN = 2;
export type HoursState = typeof CLOSED | typeof OPEN | typeof UNKNOWN;

/** Minutes in a week; week tables count minutes since Monday 00:00 local time. */
export const WEEK_MINUTES = 7 * 1440;

/**
 * Flat triples `[start, end, state, start, end, state, …]` in minutes, sorted, not
 * overlapping, neighbours of the same state merged. Closed time is not stored.
 */
export type Segments = number[];

/**
 * How public holidays change a day, learnt from the opening_hours library itself at
 * compile time, per weekday (index 0 = Monday). `null`: the day is as in the ordinary week.
 */
export interface HolidayProfiles {
  /** A public holiday whose eve is an ordinary day. Minutes 0–1440 of that day. */
  holiday: (Segments | null)[];
  /** An ordinary day whose eve was a public holiday (spill-over of overnight rules). */
  afterHoliday: (Segments | null)[];
  /** A public holiday whose eve was one too (25–26 December in Alsace-Moselle). */
  secondHoliday: (Segments | null)[];
}

/** Evaluates rules the compiler cannot turn into a week table (seasons, week numbers…). */
export interface RulesEvaluator {
  stateAt(ms: number): HoursState;
  /** Next instant the state changes, within `limitMs`, or null. */
  nextChange(ms: number, limitMs: number): number | null;
  /** State intervals between two instants: `[start, end, state]` (closed omitted). */
  intervals(fromMs: number, toMs: number): [number, number, HoursState][];
}

interface Base {
  timeZone: string;
  region: HolidayRegion;
}

export type UnknownHours = Base & { kind: 'unknown'; reason: 'none' | 'invalid' };
export type WeekHours = Base & { kind: 'week'; week: Segments; holidays: HolidayProfiles | null };
export type RulesHours = Base & { kind: 'rules'; value: string; evaluator?: RulesEvaluator };
export type CompiledHours = UnknownHours | WeekHours | RulesHours;

/** The JSON form (export, cache): rules lose their evaluator. */
export function hoursToJson(hours: CompiledHours): CompiledHours {
  if (hours.kind !== 'rules') return hours;
  return { kind: 'rules', value: hours.value, timeZone: hours.timeZone, region: hours.region };
}
