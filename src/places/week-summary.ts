/**
 * The week of a place as a card shows it: per weekday, intervals "18:00–02:00" (an
 * overnight range stays one interval). No I/O.
 */
import type { CompiledHours, Segments } from './hours/types.ts';
import { OPEN } from './hours/types.ts';
import { wallClock } from './hours/tz.ts';

export const DAYS = ['mo', 'tu', 'we', 'th', 'fr', 'sa', 'su'] as const;
export type DayCode = (typeof DAYS)[number];
export interface SummaryInterval {
  from: string;
  to: string;
  state: 'open' | 'unknown';
}
export interface SummaryDay {
  day: DayCode;
  intervals: SummaryInterval[];
}

const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

interface Piece {
  day: number;
  start: number; // minute of the day
  end: number; // minute of the day, 1440 = midnight
  state: number;
}

/**
 * Pieces per day; a piece ending at midnight absorbs a short early-morning continuation. The
 * continuations are found first: Sunday 22:00–01:00 ends on Monday, the week's first day, whose
 * piece would otherwise be shown on its own ("lundi 00:00–01:00" for a venue closed on Mondays).
 */
function summarisePieces(pieces: Piece[]): SummaryDay[] {
  const days: SummaryDay[] = DAYS.map((day) => ({ day, intervals: [] }));
  const continued = new Map<Piece, Piece>();
  const absorbed = new Set<Piece>();
  for (const p of pieces) {
    if (p.end !== 1440 || p.start === 0) continue;
    const next = pieces.find(
      (q) =>
        !absorbed.has(q) &&
        q !== p &&
        q.day === (p.day + 1) % 7 &&
        q.start === 0 &&
        q.end < 1440 &&
        q.state === p.state,
    );
    if (next) {
      absorbed.add(next);
      continued.set(p, next);
    }
  }
  for (const p of pieces) {
    if (absorbed.has(p)) continue;
    const end = continued.get(p)?.end ?? p.end;
    days[p.day].intervals.push({
      from: hhmm(p.start),
      to: end === 1440 ? '24:00' : hhmm(end),
      state: p.state === OPEN ? 'open' : 'unknown',
    });
  }
  for (const d of days) d.intervals.sort((a, b) => a.from.localeCompare(b.from));
  return days;
}

function weekPieces(week: Segments): Piece[] {
  const pieces: Piece[] = [];
  for (let i = 0; i < week.length; i += 3) {
    for (let day = Math.floor(week[i] / 1440); day * 1440 < week[i + 1] && day < 7; day++) {
      const start = Math.max(week[i], day * 1440) - day * 1440;
      const end = Math.min(week[i + 1], (day + 1) * 1440) - day * 1440;
      if (end > start) pieces.push({ day, start, end, state: week[i + 2] });
    }
  }
  return pieces;
}

/** The ordinary week (week tables), or the coming seven days (rules); empty when unknown. */
export function weekSummary(hours: CompiledHours, now: number): SummaryDay[] {
  if (hours.kind === 'week') return summarisePieces(weekPieces(hours.week));
  if (hours.kind === 'rules' && hours.evaluator) {
    const today = wallClock(hours.timeZone, now);
    const from = now - today.minute * 60_000;
    const pieces: Piece[] = [];
    for (const [a, b, state] of hours.evaluator.intervals(from, from + 7 * 86_400_000)) {
      // Split at local midnights so each piece belongs to one weekday.
      let t = a;
      while (t < b) {
        const w = wallClock(hours.timeZone, t);
        const left = (1440 - w.minute) * 60_000;
        const end = Math.min(b, t + left);
        pieces.push({
          day: w.weekday,
          start: w.minute,
          end: w.minute + Math.round((end - t) / 60_000),
          state,
        });
        t = end;
      }
    }
    return summarisePieces(pieces);
  }
  return DAYS.map((day) => ({ day, intervals: [] }));
}
