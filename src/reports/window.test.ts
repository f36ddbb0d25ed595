import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOUR_MS } from './local-time.ts';
import { decomposeWindow, LEVEL_HOURS, resolveWindow } from './window.ts';

const hour = fc.integer({ min: 480_000, max: 500_000 }).map((h) => h * HOUR_MS);

describe('decomposeWindow', () => {
  it('covers every hour of the window exactly once with aligned buckets', () => {
    fc.assert(
      fc.property(hour, fc.integer({ min: 0, max: 3_000 }), (from, hours) => {
        const to = from + hours * HOUR_MS;
        const covered: number[] = [];
        for (const r of decomposeWindow({ from, to })) {
          const size = LEVEL_HOURS[r.level] * HOUR_MS;
          expect(r.start % size).toBe(0);
          expect(r.end % size).toBe(0);
          for (let t = r.start; t < r.end; t += HOUR_MS) covered.push(t);
        }
        covered.sort((a, b) => a - b);
        expect(covered.length).toBe(hours);
        covered.forEach((t, i) => {
          expect(t).toBe(from + i * HOUR_MS);
        });
      }),
    );
  });

  it('reads at most ~80 buckets for a window of up to two years', () => {
    fc.assert(
      fc.property(hour, fc.integer({ min: 0, max: 2 * 8784 }), (from, hours) => {
        const ranges = decomposeWindow({ from, to: from + hours * HOUR_MS });
        const buckets = ranges.reduce((s, r) => s + (r.end - r.start) / (LEVEL_HOURS[r.level] * HOUR_MS), 0);
        expect(buckets).toBeLessThanOrEqual(2 * 23 + 2 * 7 + 2 * 7 + 12);
        expect(ranges.length).toBeLessThanOrEqual(7);
      }),
    );
  });
});

describe('resolveWindow', () => {
  const now = Date.parse('2026-11-28T21:37:00Z');
  const limits = { defaultHours: 720, maxHours: 19_200 };

  it('defaults to the last 30 days up to the end of the current hour', () => {
    expect(resolveWindow({}, now, limits)).toEqual({
      from: Date.parse('2026-10-29T22:00:00Z'),
      to: Date.parse('2026-11-28T22:00:00Z'),
    });
  });

  it('rounds from down and to up to whole hours', () => {
    expect(
      resolveWindow({ from: '2026-11-01T10:30:00+01:00', to: '2026-11-02T10:30:00Z' }, now, limits),
    ).toEqual({ from: Date.parse('2026-11-01T09:00:00Z'), to: Date.parse('2026-11-02T11:00:00Z') });
  });

  it('refuses a reversed window and one longer than the maximum with REPORT_BAD_WINDOW', () => {
    expect(() =>
      resolveWindow({ from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' }, now, limits),
    ).toThrow(expect.objectContaining({ code: 'HAVRE_ERR_REPORT_BAD_WINDOW' }));
    expect(() => resolveWindow({ from: '2020-01-01T00:00:00Z' }, now, limits)).toThrow(
      expect.objectContaining({ code: 'HAVRE_ERR_REPORT_BAD_WINDOW' }),
    );
  });
});
