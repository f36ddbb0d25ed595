/** The week a place's card shows (week-summary.ts): overnight ranges stay one interval. */
import { describe, expect, it } from 'vitest';
import { compileHours } from './hours/compile.ts';
import type { Zone } from './hours/zones.ts';
import { weekSummary } from './week-summary.ts';

const PARIS: Zone = { timeZone: 'Europe/Paris', region: 'metropole' };
const NOW = Date.parse('2026-11-28T21:00:00Z');
const week = (value: string) =>
  Object.fromEntries(
    weekSummary(compileHours(value, PARIS), NOW).map((d) => [
      d.day,
      d.intervals.map((i) => `${i.from}-${i.to}`),
    ]),
  );

describe('week summary', () => {
  it('keeps an overnight range on the day it starts', () => {
    expect(week('Mo-Sa 18:00-02:00')).toMatchObject({ mo: ['18:00-02:00'], sa: ['18:00-02:00'], su: [] });
  });

  it('keeps Sunday night on Sunday when Monday is closed (the week wraps)', () => {
    const w = week('Tu-Sa 17:00-02:00; Su 22:00-01:00');
    expect(w.su).toEqual(['22:00-01:00']);
    expect(w.mo).toEqual([]);
    expect(w.tu).toEqual(['17:00-02:00']);
  });

  it('does not join a Monday opening at midnight to Sunday when Sunday is closed', () => {
    expect(week('Mo 00:00-03:00; Sa 10:00-12:00')).toMatchObject({ mo: ['00:00-03:00'], su: [] });
  });
});
