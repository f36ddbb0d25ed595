/**
 * Pure rules of live sharing: session limits, who receives positions and when, and the
 * check-in timer's next state. No I/O; times are epoch milliseconds.
 */
import type { ShareMode, ShareStatus, ShareVisibility, TimerState } from './tables.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const SHARING_RULES = {
  /** "I'm OK" after the due time: ask again this much later unless a new time is given. */
  snoozeMs: 15 * MINUTE,
  /** Immobility threshold when the sharer does not choose one (minutes; 0 = off). */
  defaultStillMinutes: 15,
  /** A session keeps running this long after its due time, then ends by itself. */
  afterDueMs: 6 * HOUR,
  /** Longest trip or night out; a journey may last several days. */
  maxShortMs: 24 * HOUR,
  maxJourneyMs: 7 * DAY,
  /** An alert keeps the session open at least this long, so contacts keep access. */
  alertKeepsOpenMs: 24 * HOUR,
  /** An SOS session without another limit. */
  sosMs: 24 * HOUR,
  /** Invitation links and guest links. */
  inviteTtlMs: 7 * DAY,
  maxGuestLinkMs: 7 * DAY,
} as const;

export interface SessionTimes {
  mode: ShareMode;
  expectedArrival: number | null;
  until: number | null;
}

/** The time the check-in question is about: the expected arrival (trip) or the end (night out, journey). */
export const checkinDue = (s: SessionTimes): number | null => s.expectedArrival ?? s.until;

/** Why a requested schedule is refused, or null when it is acceptable. */
export function scheduleProblem(s: SessionTimes, visibility: ShareVisibility, now: number): string | null {
  const due = checkinDue(s);
  if (s.mode === 'trip' && s.until !== null) return 'a trip has an expectedArrival, not an until';
  if (s.mode !== 'trip' && s.mode !== 'sos' && s.expectedArrival !== null) {
    return `a ${s.mode} has an until, not an expectedArrival`;
  }
  if (s.mode === 'journey' && s.until === null) return 'a journey needs until';
  if (visibility === 'checkin' && due === null) return 'check-in mode needs a time to check in';
  if (due !== null && due <= now) return 'the time must be in the future';
  const max = s.mode === 'journey' ? SHARING_RULES.maxJourneyMs : SHARING_RULES.maxShortMs;
  if (due !== null && due - now > max) return `the time must be within ${max / HOUR} hours`;
  return null;
}

/** When the session ends by itself. */
export function sessionLimit(s: SessionTimes, now: number): number {
  if (s.mode === 'sos') return now + SHARING_RULES.sosMs;
  const due = checkinDue(s);
  const max = s.mode === 'journey' ? SHARING_RULES.maxJourneyMs : SHARING_RULES.maxShortMs;
  return due === null ? now + max : due + SHARING_RULES.afterDueMs;
}

/** Whether the watchers of a session receive positions now (live, or after an alert). */
export function deliversNow(status: ShareStatus, visibility: ShareVisibility): boolean {
  if (status === 'ended') return false;
  return status === 'alerted' || visibility === 'live';
}

/**
 * The timer after the sharer answered "I'm OK" or chose a new time. "I'm OK" before the due
 * time keeps it (the question came from immobility); after it, nothing is left to wait for but
 * she has not said she arrived either: asked again `snoozeMs` later rather than never, since an
 * answer given under duress must not end the watch. That is what "+ 15 min" would do too, so
 * the sharer's screen offers only "I'm OK" once the time has passed, and "+ 15 min" (from the
 * due time, as "I need more time") before it (web/src/sharing/checkin-answer.ts).
 */
export function restoredTimer(
  due: number | null,
  now: number,
): { state: Extract<TimerState, 'idle' | 'pending'>; dueAt: number | null } {
  if (due === null) return { state: 'idle', dueAt: null };
  return { state: 'pending', dueAt: due > now ? due : now + SHARING_RULES.snoozeMs };
}

/** Whether a report of immobility (minutes without movement) should start the question. */
export const stillnessAsks = (reportedMinutes: number, thresholdMinutes: number): boolean =>
  thresholdMinutes > 0 && reportedMinutes >= thresholdMinutes;
