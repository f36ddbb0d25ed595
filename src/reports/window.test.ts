import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS } from './local-time.ts';
import { currentWeek, resolveWindow, WEEK_MS, weekCeil, weekLabel, weekStart } from './window.ts';

const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) });

describe('UTC weeks', () => {
  it('starts every week on a Monday 00:00 UTC, at or before the instant and less than 7 days before', () => {
    fc.assert(
      fc.property(instant, (t) => {
        const start = weekStart(t);
        const d = new Date(start);
        expect(d.getUTCDay()).toBe(1);
        expect(start % DAY_MS).toBe(0);
        expect(start).toBeLessThanOrEqual(t);
        expect(t - start).toBeLessThan(WEEK_MS);
        expect(weekCeil(t) - t).toBeLessThan(WEEK_MS);
        expect(weekCeil(t) === t).toBe(start === t);
      }),
    );
  });

  it('labels a UTC week with the ISO week of its Monday, across a year boundary', () => {
    expect(weekLabel(Date.parse('2026-11-23T00:00:00Z'))).toBe('2026-W48');
    expect(weekLabel(Date.parse('2026-12-28T00:00:00Z'))).toBe('2026-W53');
    expect(weekLabel(Date.parse('2027-01-04T00:00:00Z'))).toBe('2027-W01');
  });

  it('makes the current week the live window: Monday 00:00 UTC to the next Monday', () => {
    expect(currentWeek(Date.parse('2026-11-28T21:37:00Z'))).toEqual({
      from: Date.parse('2026-11-23T00:00:00Z'),
      to: Date.parse('2026-11-30T00:00:00Z'),
    });
    // Monday 00:30 in Paris is still Sunday in UTC: the previous week.
    expect(currentWeek(Date.parse('2026-11-29T23:30:00Z')).from).toBe(Date.parse('2026-11-23T00:00:00Z'));
    expect(currentWeek(Date.parse('2026-11-30T00:00:00Z')).from).toBe(Date.parse('2026-11-30T00:00:00Z'));
  });
});

describe('resolveWindow', () => {
  const now = Date.parse('2026-11-28T21:37:00Z'); // a Saturday
  const limits = { defaultWeeks: 4, maxWeeks: 115 };

  it('defaults to the last 4 weeks, the current one included, up to its end', () => {
    expect(resolveWindow({}, now, limits)).toEqual({
      from: Date.parse('2026-11-02T00:00:00Z'),
      to: Date.parse('2026-11-30T00:00:00Z'),
    });
  });

  it('rounds from down and to up to Monday 00:00 UTC: a window one hour longer is the same window', () => {
    const asked = { from: '2026-10-29T10:30:00+01:00', to: '2026-11-28T20:00:00Z' };
    const window = resolveWindow(asked, now, limits);
    expect(window).toEqual({
      from: Date.parse('2026-10-26T00:00:00Z'),
      to: Date.parse('2026-11-30T00:00:00Z'),
    });
    expect(resolveWindow({ ...asked, to: '2026-11-28T21:00:00Z' }, now, limits)).toEqual(window);
    // Exactly on a Monday, `to` stays: the week that starts then is not included.
    expect(resolveWindow({ to: '2026-11-23T00:00:00Z' }, now, limits).to).toBe(
      Date.parse('2026-11-23T00:00:00Z'),
    );
  });

  it('takes `from` = now alone as this week', () => {
    expect(resolveWindow({ from: new Date(now).toISOString() }, now, limits)).toEqual({
      from: Date.parse('2026-11-23T00:00:00Z'),
      to: Date.parse('2026-11-30T00:00:00Z'),
    });
  });

  it('refuses a reversed window and one longer than the maximum with REPORT_BAD_WINDOW', () => {
    const code = expect.objectContaining({ code: 'HAVRE_ERR_REPORT_BAD_WINDOW' });
    // Same week once rounded, but reversed as asked.
    expect(() =>
      resolveWindow({ from: '2026-11-26T00:00:00Z', to: '2026-11-25T00:00:00Z' }, now, limits),
    ).toThrow(code);
    expect(() => resolveWindow({ from: '2024-06-01T00:00:00Z' }, now, limits)).toThrow(code);
    expect(() => resolveWindow({ from: 'yesterday' }, now, limits)).toThrow(code);
  });
});
