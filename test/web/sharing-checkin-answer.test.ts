/**
 * The "Tout va bien ?" question on the sharer's screen (web/src/sharing/checkin-answer.ts):
 * which answers it offers, which times the screen states, and when what the socket said makes
 * the session's view out of date (QA walk: two identical buttons after the arrival time; the
 * question's deadline shown only at the next 30 s refresh; the past arrival time kept after
 * "Je vais bien", with no word of the next question).
 */
import { describe, expect, it } from 'vitest';
import { moreDue, screenTimes, viewIsBehind } from '../../web/src/sharing/checkin-answer.ts';

const MINUTE = 60_000;
const NOW = Date.parse('2026-11-29T01:55:00Z');

describe('the sharer’s screen and the check-in', () => {
  it('offers "+ 15 min" only where it differs from "Je vais bien", and never moves the arrival earlier', () => {
    // The expected arrival has passed: "Je vais bien" already asks again 15 minutes later.
    expect(moreDue(NOW - MINUTE, NOW)).toBeNull();
    expect(moreDue(NOW, NOW)).toBeNull();
    // A question about immobility 40 minutes before arriving: 15 minutes more than planned.
    expect(moreDue(NOW + 40 * MINUTE, NOW)).toBe(NOW + 55 * MINUTE);
    // No expected arrival: ask again in 15 minutes.
    expect(moreDue(null, NOW)).toBe(NOW + 15 * MINUTE);
  });

  it('says when the next question comes after "Je vais bien" past the expected arrival, and only then', () => {
    const arrival = '2026-11-29T01:50:00.000Z';
    const next = '2026-11-29T02:10:00.000Z';
    const pending = (dueAt: string) => ({ state: 'pending', dueAt, reason: null });
    expect(screenTimes({ expectedArrival: arrival, until: null, checkin: pending(next) })).toEqual({
      due: Date.parse(arrival),
      nextQuestion: Date.parse(next),
    });
    expect(
      screenTimes({ expectedArrival: arrival, until: null, checkin: pending(arrival) }).nextQuestion,
    ).toBeNull();
    const idle = { state: 'idle', dueAt: null, reason: null };
    expect(screenTimes({ expectedArrival: null, until: null, checkin: idle })).toEqual({
      due: null,
      nextQuestion: null,
    });
    const until = '2026-11-29T04:00:00.000Z'; // a night out
    expect(screenTimes({ expectedArrival: null, until, checkin: undefined }).due).toBe(Date.parse(until));
  });

  it('fetches the view again when a question comes by the socket (its deadline is there), once', () => {
    const view = (state: string, status: 'active' | 'alerted' = 'active') => ({
      status,
      checkin: { state, dueAt: null, reason: null },
    });
    expect(viewIsBehind({ status: 'active', question: 'overdue' }, view('pending'))).toBe(true);
    expect(viewIsBehind({ status: 'active', question: 'still' }, view('idle'))).toBe(true);
    // The view has it already: no more fetches.
    expect(viewIsBehind({ status: 'active', question: 'overdue' }, view('asking'))).toBe(false);
    expect(viewIsBehind({ status: 'alerted', question: 'overdue' }, view('alerted', 'alerted'))).toBe(false);
    expect(viewIsBehind({ status: 'active', question: null }, view('pending'))).toBe(false);
    // A new status, as before; an end ends the screen by itself.
    expect(viewIsBehind({ status: 'alerted', question: null }, view('asking'))).toBe(true);
    expect(viewIsBehind({ status: 'ended', question: null }, view('pending'))).toBe(false);
  });
});
