/**
 * Hours the staff review and the partner portal show outside the editor, never as OpenStreetMap
 * code (QA: "Hours: Mo-Sa 08:30-20:30; We 08:30-24:00; Su,PH 09:00-13:00" for the Pharmacie des
 * Dames). The reading of hours-model.ts is checked against the opening_hours library (the
 * server's compiler) on real values and random rules; what it cannot read is left to the
 * screens' "special hours" words (readable-hours.ts), not shown as written.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileHours } from '../../src/places/hours/compile.ts';
import { OPEN, WEEK_MINUTES } from '../../src/places/hours/types.ts';
import {
  type DayHours,
  describeHours,
  fromOpeningHours,
  readOpeningHours,
} from '../../web/src/partner/hours-model.ts';
import en from '../../web/src/partner/i18n-en.ts';
import fr from '../../web/src/partner/i18n-fr.ts';

const PARIS = { timeZone: 'Europe/Paris', region: 'metropole' } as const;
const DAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];
const words = {
  day: (i: number) => DAYS[i],
  closed: 'fermé',
  allDay: '24 h/24',
  holidaysClosed: 'Fermé les jours fériés',
  holidays: 'jours fériés',
  colon: ' : ',
};

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

/** The open minutes of a read week, as merged [start, end] pairs (a night runs into the next day). */
function readMinutes(days: DayHours[]): number[] {
  const open = new Uint8Array(WEEK_MINUTES);
  days.forEach((day, d) => {
    if (day.mode === 'closed') return;
    const ranges = day.mode === 'allDay' ? [{ from: '00:00', to: '00:00', allDay: true }] : day.ranges;
    for (const r of ranges) {
      const start = d * 1440 + minutes(r.from);
      const length = 'allDay' in r ? 1440 : (minutes(r.to) - minutes(r.from) + 1440) % 1440 || 1440;
      for (let m = start; m < start + length; m++) open[m % WEEK_MINUTES] = 1;
    }
  });
  return pairs(open);
}

function pairs(open: Uint8Array): number[] {
  const out: number[] = [];
  for (let m = 0; m < WEEK_MINUTES; m++) {
    if (open[m] && (m === 0 || !open[m - 1])) out.push(m);
    if (open[m] && (m === WEEK_MINUTES - 1 || !open[m + 1])) out.push(m + 1);
  }
  return out;
}

/** The library's week (the server's compiler), or null when it is not a plain week. */
function libraryMinutes(value: string): number[] | null {
  const hours = compileHours(value, PARIS);
  if (hours.kind !== 'week') return null;
  const open = new Uint8Array(WEEK_MINUTES);
  for (let i = 0; i < hours.week.length; i += 3)
    if (hours.week[i + 2] === OPEN) open.fill(1, hours.week[i], hours.week[i + 1]);
  return pairs(open);
}

const SAMPLES: string[] = JSON.parse(
  readFileSync(new URL('../fixtures/osm-opening-hours-samples.json', import.meta.url), 'utf8'),
)
  .values.filter((v: { key: string }) => v.key === 'opening_hours')
  .map((v: { value: string }) => v.value);

describe('hours read as people read them, with public holidays and later rules', () => {
  it('reads the Pharmacie des Dames: a later rule for Wednesday, Sunday and holidays in one list', () => {
    const value = 'Mo-Sa 08:30-20:30; We 08:30-24:00; Su,PH 09:00-13:00';
    expect(describeHours(value, words)).toBe(
      'lundi – mardi : 08:30–20:30 · mercredi : 08:30–24:00 · jeudi – samedi : 08:30–20:30 · ' +
        'dimanche : 09:00–13:00 · jours fériés : 09:00–13:00',
    );
    // As the library reads it: the holidays of Monday to Saturday follow Sunday's hours.
    const hours = compileHours(value, PARIS);
    expect(hours.kind === 'week' && hours.holidays?.holiday.slice(0, 6)).toEqual(
      Array.from({ length: 6 }, () => [540, 780, OPEN]),
    );
  });

  it.each([
    [
      'Mo-Sa 09:00-20:00; Su,PH off',
      'lundi – samedi : 09:00–20:00 · dimanche : fermé · Fermé les jours fériés',
    ],
    [
      'Mo-Fr 08:00-20:00; Sa 09:00-19:00; Su 09:00-13:00; PH 09:00-13:00',
      'lundi – vendredi : 08:00–20:00 · samedi : 09:00–19:00 · dimanche : 09:00–13:00 · jours fériés : 09:00–13:00',
    ],
    [
      'Mo-Sa 10:00-19:30; Su off; PH off',
      'lundi – samedi : 10:00–19:30 · dimanche : fermé · Fermé les jours fériés',
    ],
    [
      'PH,Su 10:00-12:00, 14:00-16:00',
      'lundi – samedi : fermé · dimanche : 10:00–12:00, 14:00–16:00 · jours fériés : 10:00–12:00, 14:00–16:00',
    ],
    ['Mo-Sa 8:30-21:00', 'lundi – samedi : 08:30–21:00 · dimanche : fermé'],
    // Friday is a later rule's: Thursday's night stops at midnight (the library's reading, the card's too).
    [
      'We-Th 19:30-2:00; Fr-Sa 19:30-6:00',
      'lundi – mardi : fermé · mercredi : 19:30–02:00 · jeudi : 19:30–24:00 · vendredi – samedi : 19:30–06:00 · dimanche : fermé',
    ],
    [
      'Mo-Su 10:00-21:00; Th 10:00-22:00',
      'lundi – mercredi : 10:00–21:00 · jeudi : 10:00–22:00 · vendredi – dimanche : 10:00–21:00',
    ],
    ['24/7; PH off', 'lundi – dimanche : 24 h/24 · Fermé les jours fériés'],
  ])('%s', (value, expected) => {
    expect(describeHours(value, words)).toBe(expected);
  });

  it('ends a night at midnight when a later rule takes the next day, as the library does', () => {
    const value = 'Mo-Su 07:30-02:00; Sa 09:00-02:00; Su 09:00-24:00';
    const week = readOpeningHours(value);
    expect(week?.days[4].ranges).toEqual([{ from: '07:30', to: '00:00' }]); // Friday: Saturday is the later rule's
    expect(week?.days[5].ranges).toEqual([{ from: '09:00', to: '00:00' }]); // Saturday: Sunday is too
    // Sunday's earlier night still runs into Monday, which no later rule takes.
    expect(week?.days[0].ranges).toEqual([
      { from: '07:30', to: '02:00' },
      { from: '00:00', to: '02:00' },
    ]);
    expect(readMinutes(week!.days)).toEqual(libraryMinutes(value));
  });

  it('keeps to the library on every real value it reads, and reads the usual ones', () => {
    let read = 0;
    for (const value of SAMPLES) {
      const week = readOpeningHours(value);
      const library = libraryMinutes(value);
      if (!week || !library) continue;
      read++;
      expect({ value, week: readMinutes(week.days) }).toEqual({ value, week: library });
    }
    expect(read).toBeGreaterThanOrEqual(75); // of 78: the others are invalid or beyond this reading
  });

  it('keeps to the library on random rules (later rules, additional rules, nights, off)', () => {
    const code = fc.constantFrom('Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su');
    const days = fc
      .array(fc.tuple(code, fc.option(code, { nil: undefined })), { minLength: 1, maxLength: 2 })
      .map((list) => list.map(([a, b]) => (b && b !== a ? `${a}-${b}` : a)).join(','));
    const hhmm = fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 30))
      .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    const range = fc.tuple(hhmm, hhmm).filter(([a, b]) => a !== b && !(a === '00:00' && b === '00:00'));
    const hours = fc.oneof(
      { weight: 1, arbitrary: fc.constant('off') },
      {
        weight: 4,
        arbitrary: fc
          .array(range, { minLength: 1, maxLength: 2 })
          .map((r) => r.map((x) => x.join('-')).join(',')),
      },
    );
    const part = fc.tuple(days, hours).map(([d, h]) => `${d} ${h}`);
    const rule = fc
      .array(part, { minLength: 1, maxLength: 2 })
      .filter((parts) => parts.slice(1).every((p) => !p.endsWith(' off')))
      .map((parts) => parts.join(', '));
    fc.assert(
      fc.property(fc.array(rule, { minLength: 1, maxLength: 4 }), (rules) => {
        const value = rules.join('; ');
        const library = libraryMinutes(value);
        const week = readOpeningHours(value);
        if (!library) return;
        expect(week).not.toBeNull();
        expect({ value, week: readMinutes(week!.days) }).toEqual({ value, week: library });
      }),
      { numRuns: 200 },
    );
  });

  it('does not guess holidays that depend on the weekday, and the editor keeps only "closed" ones', () => {
    expect(readOpeningHours('PH off; Mo-Fr 09:00-18:00')).toBeNull(); // a Monday holiday is open
    expect(readOpeningHours('PH off; Mo-Su 09:00-18:00')?.holidays).toBeNull(); // every holiday is
    expect(fromOpeningHours('Mo-Sa 09:00-19:30; PH off')?.holidaysClosed).toBe(true);
    expect(fromOpeningHours('Mo-Sa 09:00-19:30; PH 10:00-12:00')).toBeNull();
  });
});

describe('hours beyond this reading', () => {
  it.each([
    ['Mo-Fr 09:00-12:00; easter off'],
    ['Mo-Sa 08:00-22:00; 08:00-12:30'],
    ['Mo-Fr 09:00-18:00; Jul-Aug Mo-Fr 09:00-13:00'],
    ['Mo-Fr 10:00-19:00 "sur rendez-vous"'],
    ['Mo-Fr 18:00+'],
    ['Mo-Fr sunrise-sunset'],
    ['Lu-Sam 10:00-21:00'],
  ])('leaves %s to the "special hours" words, never shown as written', (value) => {
    expect(readOpeningHours(value)).toBeNull();
    expect(describeHours(value, words)).toBeNull();
  });

  it('has those words in French and English, without OpenStreetMap code', () => {
    for (const text of [fr.hours.special, en.hours.special]) {
      expect(text).toBeTruthy();
      expect(text).not.toMatch(/\b(Mo|Tu|We|Th|Fr|Sa|Su|PH)\b/);
    }
  });

  it('reads hours alone as every day’s, and day codes in lower case, as the library does', () => {
    expect(describeHours('18:00-02:00', words)).toBe('lundi – dimanche : 18:00–02:00');
    expect(describeHours('mo-su 09:00-23:30', words)).toBe('lundi – dimanche : 09:00–23:30');
    for (const value of ['18:00-02:00', 'mo-su 09:00-23:30'])
      expect(readMinutes(readOpeningHours(value)!.days)).toEqual(libraryMinutes(value));
  });
});
