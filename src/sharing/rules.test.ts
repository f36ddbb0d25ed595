import { describe, expect, it } from 'vitest';
import {
  deliversNow,
  restoredTimer,
  SHARING_RULES,
  scheduleProblem,
  sessionLimit,
  stillnessAsks,
} from './rules.ts';

const NOW = Date.parse('2026-11-28T21:00:00Z');
const H = 3_600_000;

describe('sharing rules', () => {
  it('delivers positions in live mode, and in check-in mode only after an alert', () => {
    expect(deliversNow('active', 'live')).toBe(true);
    expect(deliversNow('active', 'checkin')).toBe(false);
    expect(deliversNow('alerted', 'checkin')).toBe(true);
    expect(deliversNow('ended', 'live')).toBe(false);
  });

  it('ends a trip six hours after its expected arrival, and a trip without one after a day', () => {
    expect(sessionLimit({ mode: 'trip', expectedArrival: NOW + H, until: null }, NOW)).toBe(NOW + 7 * H);
    expect(sessionLimit({ mode: 'trip', expectedArrival: null, until: null }, NOW)).toBe(NOW + 24 * H);
    expect(sessionLimit({ mode: 'journey', expectedArrival: null, until: NOW + 72 * H }, NOW)).toBe(
      NOW + 78 * H,
    );
  });

  it('refuses schedules that cannot work, with a reason', () => {
    expect(scheduleProblem({ mode: 'trip', expectedArrival: null, until: null }, 'checkin', NOW)).toMatch(
      /check-in/,
    );
    expect(scheduleProblem({ mode: 'trip', expectedArrival: NOW - 1, until: null }, 'live', NOW)).toMatch(
      /future/,
    );
    expect(
      scheduleProblem({ mode: 'night_out', expectedArrival: NOW + H, until: null }, 'live', NOW),
    ).toMatch(/until/);
    expect(scheduleProblem({ mode: 'journey', expectedArrival: null, until: null }, 'live', NOW)).toMatch(
      /journey/,
    );
    expect(
      scheduleProblem({ mode: 'trip', expectedArrival: NOW + 25 * H, until: null }, 'live', NOW),
    ).toMatch(/24 hours/);
    expect(
      scheduleProblem({ mode: 'journey', expectedArrival: null, until: NOW + 100 * H }, 'checkin', NOW),
    ).toBe(null);
  });

  it('after "I am OK", waits for the planned time, or asks again after the snooze when it has passed', () => {
    expect(restoredTimer(NOW + H, NOW)).toEqual({ state: 'pending', dueAt: NOW + H });
    expect(restoredTimer(NOW - H, NOW)).toEqual({ state: 'pending', dueAt: NOW + SHARING_RULES.snoozeMs });
    expect(restoredTimer(null, NOW)).toEqual({ state: 'idle', dueAt: null });
  });

  it('asks about immobility only past a threshold that is switched on', () => {
    expect(stillnessAsks(15, 15)).toBe(true);
    expect(stillnessAsks(14, 15)).toBe(false);
    expect(stillnessAsks(600, 0)).toBe(false);
  });
});
