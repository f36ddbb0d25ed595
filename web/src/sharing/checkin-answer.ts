/**
 * The sharer's screen and the check-in timer: what the "Tout va bien ?" question offers, which
 * times the screen states, and when what the socket said makes the session's view out of date.
 * No I/O; times are epoch milliseconds.
 */
import type { ShareView } from './api.ts';

const MINUTE = 60_000;
/** "Je vais bien, + 15 min". */
export const MORE_MINUTES = 15;

/**
 * The due time "+ 15 min" sets, or null when it is not offered. Before the due time (a question
 * about immobility) the two answers differ: "Je vais bien" keeps the expected arrival, "+ 15 min"
 * moves it 15 minutes later — from the due time, as "J'ai besoin de plus de temps" does, never
 * earlier than it was. Once the due time has passed, "Je vais bien" already asks again in 15
 * minutes (the server's snooze, src/sharing/rules.ts): a second button doing the same was a
 * choice without a difference, so only "Je vais bien" is offered, and the screen then says when
 * the next question comes. Without a due time, "+ 15 min" is "ask me again in 15 minutes".
 */
export function moreDue(due: number | null, now: number): number | null {
  if (due !== null && due <= now) return null;
  return (due ?? now) + MORE_MINUTES * MINUTE;
}

/** The expected arrival (or end) of a session, and when the next question comes if it differs. */
export function screenTimes(share: Pick<ShareView, 'expectedArrival' | 'until' | 'checkin'>): {
  due: number | null;
  nextQuestion: number | null;
} {
  const dueIso = share.expectedArrival ?? share.until;
  const due = dueIso ? Date.parse(dueIso) : null;
  const timer = share.checkin;
  const next = timer?.state === 'pending' && timer.dueAt ? Date.parse(timer.dueAt) : null;
  // "Je vais bien" after the due time: asked again later than the (past) expected arrival.
  return { due, nextQuestion: next !== null && next !== due ? next : null };
}

/**
 * Whether the socket said something the session's view does not show yet: an alert or its end,
 * or a question (whose deadline, HAVRE_CHECKIN_GRACE, only the view has).
 */
export function viewIsBehind(
  engine: { status: 'active' | 'alerted' | 'ended'; question: 'overdue' | 'still' | null },
  share: Pick<ShareView, 'status' | 'checkin'>,
): boolean {
  if (engine.status === 'ended') return false;
  if (engine.status !== share.status) return true;
  const state = share.checkin?.state;
  return engine.question !== null && state !== 'asking' && state !== 'alerted';
}
