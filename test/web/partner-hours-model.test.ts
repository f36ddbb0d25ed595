/**
 * The partner portal's weekly editor writes `opening_hours` text: the server's compiler (the
 * opening_hours library as oracle) must read exactly the week the editor showed, past-midnight
 * ranges included, and a value the editor wrote must open in the editor unchanged.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileHours } from '../../src/places/hours/compile.ts';
import { OPEN, WEEK_MINUTES } from '../../src/places/hours/types.ts';
import {
  type DayHours,
  describeHours,
  fromOpeningHours,
  toOpeningHours,
  type WeekModel,
} from '../../web/src/partner/hours-model.ts';

const PARIS = { timeZone: 'Europe/Paris', region: 'metropole' } as const;
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

/** The open minutes of the week the editor shows, as merged [start, end] pairs. */
function expectedWeek(week: WeekModel): number[] {
  const open = new Uint8Array(WEEK_MINUTES);
  week.days.forEach((day, d) => {
    const ranges = day.mode === 'allDay' ? [{ from: '00:00', to: '00:00', allDay: true }] : day.ranges;
    if (day.mode === 'closed') return;
    for (const r of ranges) {
      const start = d * 1440 + minutes(r.from);
      const length = 'allDay' in r ? 1440 : (minutes(r.to) - minutes(r.from) + 1440) % 1440 || 1440;
      for (let m = start; m < start + length; m++) open[m % WEEK_MINUTES] = 1;
    }
  });
  const out: number[] = [];
  for (let m = 0; m < WEEK_MINUTES; m++) {
    if (open[m] && (m === 0 || !open[m - 1])) out.push(m);
    if (open[m] && (m === WEEK_MINUTES - 1 || !open[m + 1])) out.push(m + 1);
  }
  return out;
}

function compiledWeek(value: string | null): number[] {
  const hours = compileHours(value, PARIS);
  if (hours.kind !== 'week') throw new Error(`${value} compiled to ${hours.kind}`);
  const out: number[] = [];
  for (let i = 0; i < hours.week.length; i += 3) {
    if (hours.week[i + 2] === OPEN) out.push(hours.week[i], hours.week[i + 1]);
  }
  return out;
}

const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const range = fc
  .tuple(hhmm, hhmm)
  .filter(([a, b]) => a !== b)
  .map(([from, to]) => ({ from, to }));
const day: fc.Arbitrary<DayHours> = fc.oneof(
  fc.constant<DayHours>({ mode: 'closed', ranges: [] }),
  fc.constant<DayHours>({ mode: 'allDay', ranges: [] }),
  fc.array(range, { minLength: 1, maxLength: 3 }).map((ranges): DayHours => ({ mode: 'open', ranges })),
);
const week = fc.record({ days: fc.array(day, { minLength: 7, maxLength: 7 }), holidaysClosed: fc.boolean() });

describe('weekly hours editor ↔ opening_hours', () => {
  it('writes the usual bar week with a past-midnight range and closed public holidays', () => {
    const bar: WeekModel = {
      days: [0, 1, 2, 3, 4, 5, 6].map((d) =>
        d === 6 ? { mode: 'closed', ranges: [] } : { mode: 'open', ranges: [{ from: '17:00', to: '02:00' }] },
      ),
      holidaysClosed: true,
    };
    expect(toOpeningHours(bar)).toBe('Mo-Sa 17:00-02:00; PH off');
    // Saturday's night runs into Sunday 02:00 although Sunday itself is closed.
    expect(compiledWeek(toOpeningHours(bar))).toContain(6 * 1440 + 120);
  });

  it('writes 24/7, split days and lone days compactly', () => {
    const all: WeekModel = {
      days: Array.from({ length: 7 }, () => ({ mode: 'allDay', ranges: [] })),
      holidaysClosed: false,
    };
    expect(toOpeningHours(all)).toBe('24/7');
    const shop: WeekModel = {
      days: [0, 1, 2, 3, 4, 5, 6].map((d) =>
        d === 3 || d === 6
          ? { mode: 'closed', ranges: [] }
          : {
              mode: 'open',
              ranges: [
                { from: '14:00', to: '19:00' },
                { from: '09:00', to: '12:30' },
              ],
            },
      ),
      holidaysClosed: false,
    };
    expect(toOpeningHours(shop)).toBe('Mo-We,Fr,Sa 09:00-12:30,14:00-19:00');
    shop.days[6] = { mode: 'open', ranges: [{ from: '10:00', to: '12:00' }] };
    shop.days[5] = { mode: 'open', ranges: [{ from: '20:00', to: '02:00' }] };
    // Saturday night keeps its hours past midnight although Sunday has its own.
    expect(toOpeningHours(shop)).toBe('Mo-We,Fr 09:00-12:30,14:00-19:00, Sa 20:00-02:00, Su 10:00-12:00');
    expect(compiledWeek(toOpeningHours(shop))).toEqual(
      expect.arrayContaining([5 * 1440 + 1200, 6 * 1440 + 120]),
    );
  });

  it('writes nothing for a week that is never open (the server then says "unknown", not "closed")', () => {
    expect(
      toOpeningHours({
        days: Array.from({ length: 7 }, () => ({ mode: 'closed', ranges: [] })),
        holidaysClosed: true,
      }),
    ).toBeNull();
  });

  it('gives the compiler exactly the week the editor shows (random weeks, overnight ranges included)', () => {
    fc.assert(
      fc.property(week, (w) => {
        const value = toOpeningHours(w);
        if (value === null) return;
        expect(compiledWeek(value)).toEqual(expectedWeek(w));
      }),
      { numRuns: 300 },
    );
  });

  it('opens a value it wrote unchanged, and writes it back identically', () => {
    fc.assert(
      fc.property(week, (w) => {
        const value = toOpeningHours(w);
        const model = fromOpeningHours(value);
        expect(model).not.toBeNull();
        expect(toOpeningHours(model!)).toBe(value);
      }),
      { numRuns: 300 },
    );
  });

  it('reads the demo seed values, and refuses what it would have to rewrite', () => {
    expect(fromOpeningHours('Mo-Sa 08:30-20:30; We 08:30-24:00; Su,PH 09:00-13:00')).toBeNull(); // PH hours
    const pharmacy = fromOpeningHours('Mo-Sa 09:00-19:30; Fr 09:00-24:00; PH off');
    expect(pharmacy?.days[4]).toEqual({ mode: 'open', ranges: [{ from: '09:00', to: '00:00' }] });
    expect(pharmacy?.days[3]).toEqual({ mode: 'open', ranges: [{ from: '09:00', to: '19:30' }] });
    expect(pharmacy?.holidaysClosed).toBe(true);
    expect(fromOpeningHours('Th-Sa 23:00-05:00')?.days.map((d) => d.mode)).toEqual([
      'closed',
      'closed',
      'closed',
      'open',
      'open',
      'open',
      'closed',
    ]);
    expect(fromOpeningHours('Mo-Fr 09:00-18:00; Jan off')).toBeNull();
    expect(fromOpeningHours('sunrise-sunset')).toBeNull();
  });
});

describe('hours read as people read them', () => {
  const DAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];
  const words = {
    day: (i: number) => DAYS[i],
    closed: 'fermé',
    allDay: '24 h/24',
    holidaysClosed: 'Fermé les jours fériés',
    holidays: 'jours fériés',
    colon: ' : ',
  };

  it('groups days with the same hours and keeps a night on the day it starts', () => {
    expect(describeHours('Tu-Sa 17:00-02:00, Su 22:00-01:00; PH off', words)).toBe(
      'lundi : fermé · mardi – samedi : 17:00–02:00 · dimanche : 22:00–01:00 · Fermé les jours fériés',
    );
    expect(describeHours('24/7', words)).toBe('lundi – dimanche : 24 h/24');
  });

  it('leaves a value it cannot read to the "special hours" words: null, never the value as written', () => {
    expect(describeHours('Mo-Fr 09:00-12:00; easter off', words)).toBeNull();
  });
});
