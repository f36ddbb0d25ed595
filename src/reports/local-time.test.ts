import { describe, expect, it } from 'vitest';
import { isoWeekOf, localParts } from './local-time.ts';

describe('local calendar parts', () => {
  it.each([
    [2026, 1, 1, '2026-W01'],
    [2026, 12, 31, '2026-W53'],
    [2027, 1, 1, '2026-W53'],
    [2027, 1, 4, '2027-W01'],
    [2025, 12, 29, '2026-W01'],
    [2024, 12, 30, '2025-W01'],
  ])('%i-%i-%i is in ISO week %s', (y, m, d, week) => {
    expect(isoWeekOf(y, m, d)).toBe(week);
  });

  it('crosses the spring DST change in Paris: 01:59 UTC+1 then 03:00 UTC+2', () => {
    expect(localParts(Date.parse('2026-03-29T00:30:00Z'), 'Europe/Paris').hour).toBe(1);
    expect(localParts(Date.parse('2026-03-29T01:30:00Z'), 'Europe/Paris').hour).toBe(3);
  });

  it('gives Monday as 1 and Sunday as 7', () => {
    expect(localParts(Date.parse('2026-11-23T12:00:00Z'), 'Europe/Paris').weekday).toBe(1);
    expect(localParts(Date.parse('2026-11-29T12:00:00Z'), 'Europe/Paris').weekday).toBe(7);
  });
});
