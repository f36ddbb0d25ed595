/**
 * Rules the compiler keeps as rules (seasons, week numbers, sunrise…) are evaluated by the
 * opening_hours library, for that place only, with the open intervals of each hour cached:
 * repeated queries within the hour cost a look-up. No I/O.
 */
import { compileHours } from './compile.ts';
import { fakeOfInstant, instantOfFake, parseWithLibrary } from './library.ts';
import { CLOSED, type CompiledHours, type HoursState, OPEN, type RulesEvaluator, UNKNOWN } from './types.ts';
import type { Zone } from './zones.ts';

const HOUR = 3_600_000;

/** An evaluator for one value in one zone, or null if the library cannot read it. */
export function libraryEvaluator(value: string, zone: Zone): RulesEvaluator | null {
  let oh: ReturnType<typeof parseWithLibrary>;
  try {
    oh = parseWithLibrary(value, zone.region);
  } catch {
    return null;
  }
  const { timeZone } = zone;
  const hours = new Map<number, [number, number, HoursState][]>();

  const intervals = (fromMs: number, toMs: number): [number, number, HoursState][] =>
    oh
      .getOpenIntervals(fakeOfInstant(timeZone, fromMs), fakeOfInstant(timeZone, toMs))
      .map(([a, b, unknown]) => [
        Math.max(instantOfFake(timeZone, a), fromMs),
        Math.min(instantOfFake(timeZone, b), toMs),
        unknown ? UNKNOWN : OPEN,
      ]);

  return {
    intervals,
    stateAt(ms) {
      const hour = Math.floor(ms / HOUR);
      let list = hours.get(hour);
      if (!list) {
        if (hours.size > 48) hours.clear();
        list = intervals(hour * HOUR, (hour + 1) * HOUR);
        hours.set(hour, list);
      }
      for (const [a, b, state] of list) if (ms >= a && ms < b) return state;
      return CLOSED;
    },
    nextChange(ms, limitMs) {
      const next = oh.getNextChange(fakeOfInstant(timeZone, ms), fakeOfInstant(timeZone, limitMs));
      if (!next) return null;
      const at = instantOfFake(timeZone, next);
      return at > ms && at <= limitMs ? at : null;
    },
  };
}

/** Attaches the library evaluator to compiled rules (after loading them from JSON). */
export function withLibrary(hours: CompiledHours): CompiledHours {
  if (hours.kind !== 'rules' || hours.evaluator) return hours;
  const evaluator = libraryEvaluator(hours.value, hours);
  if (evaluator) return { ...hours, evaluator };
  return { kind: 'unknown', reason: 'invalid', timeZone: hours.timeZone, region: hours.region };
}

/** Compiles for the server: rules get their library evaluator attached. */
export function compileWithLibrary(value: string | null | undefined, zone: Zone): CompiledHours {
  return withLibrary(compileHours(value, zone));
}
