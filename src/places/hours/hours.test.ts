import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileHours } from './compile.ts';
import { isOpenAt, nextChange, openStatus, stateAt } from './evaluate.ts';
import { compileWithLibrary, libraryEvaluator } from './fallback.ts';
import { dayNumber, easterDay, holidaysOf, isHoliday } from './holidays.ts';
import { fakeLocal, parseWithLibrary, steadyLocalDays } from './library.ts';
import { CLOSED, type HoursState, OPEN } from './types.ts';
import { wallClock } from './tz.ts';
import { HOLIDAY_REGIONS, type Zone, zoneAt } from './zones.ts';

const PARIS: Zone = { timeZone: 'Europe/Paris', region: 'metropole' };
const REUNION: Zone = { timeZone: 'Indian/Reunion', region: 'reunion' };
const at = (iso: string) => Date.parse(iso);
/**
 * The library reads dates in the process's zone and slips around that zone's own DST
 * changes; the compiled tables do not. Comparisons skip those days when the tests run in a
 * zone with DST (TZ=UTC, as on the servers and in CI, compares everything).
 */
const libraryReliableAt = (t: number) => steadyLocalDays(Math.floor(t / 86_400_000) - 2, 5);
const SAMPLES: { key: string; value: string }[] = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/osm-opening-hours-samples.json', import.meta.url), 'utf8'),
).values;

/**
 * What a venue means by a value ending in `PH off`, built independently of the compiler: the
 * library's hours without that rule, minus every open stretch that began on a public holiday
 * in the place's zone; a stretch longer than a day (24/7) closes on the holiday's calendar day.
 */
function noStretchStartsOnAHoliday(value: string, zone: Zone, from: number, to: number) {
  const ordinary = libraryEvaluator(value.replace(/;\s*PH\s+(off|closed)\s*$/i, ''), zone)!;
  const holidayAt = (t: number) => isHoliday(zone.region, wallClock(zone.timeZone, t).day);
  // Open stretches (neighbouring intervals joined), from two days before the window.
  const stretches: [number, number, HoursState][][] = [];
  for (const [a, b, state] of ordinary.intervals(from - 2 * 86_400_000, to)) {
    const last = stretches.at(-1);
    if (last && last.at(-1)![1] >= a) last.push([a, b, state]);
    else stretches.push([[a, b, state]]);
  }
  return (t: number): HoursState => {
    const stretch = stretches.find((s) => s[0][0] <= t && t < s.at(-1)![1]);
    const state = stretch?.find(([a, b]) => a <= t && t < b)?.[2];
    if (!stretch || state === undefined) return CLOSED;
    const night = stretch.at(-1)![1] - stretch[0][0] <= 86_400_000;
    return holidayAt(night ? stretch[0][0] : t) ? CLOSED : state;
  };
}

describe('compiled opening hours', () => {
  it('keeps a bar open past midnight with Mo-Sa 18:00-02:00, closed Sunday night', () => {
    const h = compileHours('Mo-Sa 18:00-02:00', PARIS);
    expect(h.kind).toBe('week');
    // Saturday 28 November 2026, Paris is UTC+1.
    expect(isOpenAt(h, at('2026-11-28T22:00:00Z'))).toBe(true); // Sat 23:00
    expect(isOpenAt(h, at('2026-11-29T00:30:00Z'))).toBe(true); // Sun 01:30, spill from Saturday
    expect(isOpenAt(h, at('2026-11-29T02:00:00Z'))).toBe(false); // Sun 03:00
    expect(isOpenAt(h, at('2026-11-29T22:00:00Z'))).toBe(false); // Sun 23:00
    expect(isOpenAt(h, at('2026-11-30T00:30:00Z'))).toBe(false); // Mon 01:30: nothing on Sunday
    expect(nextChange(h, at('2026-11-28T22:00:00Z'))).toBe(at('2026-11-29T01:00:00Z'));
    expect(openStatus(h, at('2026-11-29T12:00:00Z'))).toEqual({
      openNow: false,
      opensAt: at('2026-11-30T17:00:00Z'),
      closesAt: null,
    });
  });

  it('closes on a public holiday with PH off: the eve’s night runs to its end, no night starts on it', () => {
    // A bar's "closed on public holidays", as the partner hours editor writes it. Christmas
    // 2026 is a Friday; Paris is UTC+1.
    const h = compileHours('Mo-Sa 17:00-02:00; PH off', PARIS);
    expect(h.kind).toBe('week');
    expect(isOpenAt(h, at('2026-12-24T22:30:00Z'))).toBe(true); // Thu 23:30, Christmas Eve
    expect(isOpenAt(h, at('2026-12-25T00:30:00Z'))).toBe(true); // Fri 01:30: the eve's night
    expect(isOpenAt(h, at('2026-12-25T19:00:00Z'))).toBe(false); // Christmas evening
    expect(isOpenAt(h, at('2026-12-26T00:30:00Z'))).toBe(false); // Sat 01:30: no night began on the 25th
    expect(isOpenAt(h, at('2026-12-26T19:00:00Z'))).toBe(true); // Saturday evening, as usual
    expect(isOpenAt(h, at('2026-12-27T00:30:00Z'))).toBe(true); // Sun 01:30: Saturday's night
    expect(openStatus(h, at('2026-12-24T22:30:00Z'))).toEqual({
      openNow: true,
      opensAt: null,
      closesAt: at('2026-12-25T01:00:00Z'),
    });
    expect(openStatus(h, at('2026-12-25T19:00:00Z'))).toEqual({
      openNow: false,
      opensAt: at('2026-12-26T16:00:00Z'),
      closesAt: null,
    });
    // The library closes the holiday's calendar day instead (the OSM specification's reading):
    // shut at midnight on the eve, open 00:00–02:00 after a night it stayed shut.
    const lib = libraryEvaluator('Mo-Sa 17:00-02:00; PH off', PARIS)!;
    expect(lib.stateAt(at('2026-12-25T00:30:00Z'))).toBe(CLOSED);
    expect(lib.stateAt(at('2026-12-26T00:30:00Z'))).toBe(OPEN);
  });

  it('means "no stretch starts on a holiday" for every value ending in PH off, in every region', () => {
    const values = [
      'Mo-Sa 17:00-02:00; PH off',
      'Mo-Su 18:00-02:00; PH off', // Sunday's night crosses the week's end
      'Fr-Sa 22:00-05:00; PH closed',
      'Mo-Sa 10:00-19:30; Su off; PH off',
      'Mo-Su 08:00-24:00, Mo-Su 00:00-03:00; PH off',
      'Mo-Fr 00:00-24:00; PH off', // longer than a night: the holiday's calendar day closes
      '24/7; PH off',
    ];
    const zones: Zone[] = [PARIS, REUNION, { timeZone: 'Europe/Paris', region: 'alsace-moselle' }];
    // Christmas (Alsace-Moselle: 25 and 26 December in a row), 14 July on a Monday, Easter
    // Monday, La Réunion's 20 December on a Sunday.
    const windows = ['2026-12-23', '2027-12-23', '2031-07-12', '2026-04-04', '2026-12-18'].map((d) =>
      at(`${d}T00:00:00Z`),
    );
    let compared = 0;
    let changes = 0;
    for (const value of values) {
      for (const zone of zones) {
        const h = compileHours(value, zone);
        expect(h.kind, value).toBe('week');
        for (const start of windows) {
          const meant = noStretchStartsOnAHoliday(value, zone, start, start + 19 * 86_400_000);
          for (let t = start; t < start + 5 * 86_400_000; t += 15 * 60_000) {
            expect(stateAt(h, t), `${value} in ${zone.region} @ ${new Date(t).toISOString()}`).toBe(meant(t));
            compared++;
          }
          // Each announced change is one: same state up to it, another at it.
          for (let t = start; t < start + 4 * 86_400_000; t += 131 * 60_000) {
            const next = nextChange(h, t);
            if (next === null) continue;
            const label = `${value} in ${zone.region} from ${new Date(t).toISOString()}`;
            expect(meant(next), label).not.toBe(meant(t));
            for (let u = t; u < next; u += 30 * 60_000) expect(meant(u), label).toBe(meant(t));
            expect(meant(next - 60_000), label).toBe(meant(t));
            changes++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(10_000);
    expect(changes).toBeGreaterThan(500);
  });

  it('reads PH off on Easter Monday, Ascension and Whit Monday computed from Easter', () => {
    expect(new Date(easterDay(2026) * 86_400_000).toISOString().slice(0, 10)).toBe('2026-04-05');
    const h = compileHours('Mo-Su 09:00-19:00; PH off', PARIS);
    expect(isOpenAt(h, at('2026-04-06T10:00:00Z'))).toBe(false); // Easter Monday
    expect(isOpenAt(h, at('2026-05-14T10:00:00Z'))).toBe(false); // Ascension
    expect(isOpenAt(h, at('2026-05-25T10:00:00Z'))).toBe(false); // Whit Monday
    expect(isOpenAt(h, at('2026-05-26T10:00:00Z'))).toBe(true);
  });

  it('keeps seasonal rules as rules and evaluates them with the library', () => {
    const value = 'Apr-Sep Mo-Su 10:00-22:00; Oct-Mar Mo-Sa 10:00-18:00';
    expect(compileHours(value, PARIS).kind).toBe('rules');
    const h = compileWithLibrary(value, PARIS);
    expect(isOpenAt(h, at('2026-07-05T19:00:00Z'))).toBe(true); // Sunday 21:00 in July
    expect(isOpenAt(h, at('2026-01-11T11:00:00Z'))).toBe(false); // Sunday noon in January
    expect(isOpenAt(h, at('2026-01-12T16:00:00Z'))).toBe(true); // Monday 17:00 in January
    expect(nextChange(h, at('2026-01-12T16:00:00Z'))).toBe(at('2026-01-12T17:00:00Z'));
    // Without the library (a browser that did not load it), rules are unknown, not open.
    expect(isOpenAt(compileHours(value, PARIS), at('2026-07-05T19:00:00Z'))).toBeNull();
  });

  it('is always open with 24/7 and never announces a change', () => {
    const h = compileHours('24/7', PARIS);
    expect(isOpenAt(h, at('2026-12-25T03:00:00Z'))).toBe(true);
    expect(nextChange(h, at('2026-12-25T03:00:00Z'))).toBeNull();
  });

  it('reads hours in La Réunion at UTC+4, with its 20 December holiday', () => {
    expect(zoneAt(-20.88, 55.45)).toEqual(REUNION);
    const h = compileHours('Mo-Fr 08:00-12:00; PH off', REUNION);
    // Monday 30 November 2026 05:00 UTC = 09:00 in Saint-Denis, 06:00 in Paris.
    expect(isOpenAt(h, at('2026-11-30T05:00:00Z'))).toBe(true);
    expect(isOpenAt(compileHours('Mo-Fr 08:00-12:00; PH off', PARIS), at('2026-11-30T05:00:00Z'))).toBe(
      false,
    );
    // 20 December 2027 is a Monday: a holiday in La Réunion only.
    expect(isOpenAt(h, at('2027-12-20T05:00:00Z'))).toBe(false);
    expect(isOpenAt(compileHours('Mo-Fr 08:00-12:00; PH off', PARIS), at('2027-12-20T08:00:00Z'))).toBe(true);
  });

  it('follows the spring daylight-saving change in Paris', () => {
    // 29 March 2026: 02:00 CET becomes 03:00 CEST (01:00 UTC).
    const h = compileHours('Mo-Sa 18:00-02:00; Su 01:00-04:00', PARIS);
    expect(isOpenAt(h, at('2026-03-29T00:30:00Z'))).toBe(true); // 01:30 CET
    expect(isOpenAt(h, at('2026-03-29T01:30:00Z'))).toBe(true); // 03:30 CEST
    expect(nextChange(h, at('2026-03-29T00:30:00Z'))).toBe(at('2026-03-29T02:00:00Z')); // 04:00 CEST
    const bar = compileHours('Mo-Sa 18:00-02:00', PARIS);
    expect(nextChange(bar, at('2026-03-28T22:00:00Z'))).toBe(at('2026-03-29T01:00:00Z'));
    expect(isOpenAt(bar, at('2026-03-29T01:10:00Z'))).toBe(false); // 03:10 CEST
  });

  it('follows the autumn daylight-saving change in Paris', () => {
    // 25 October 2026: 03:00 CEST becomes 02:00 CET (01:00 UTC).
    const h = compileHours('Su 01:00-04:00', PARIS);
    expect(isOpenAt(h, at('2026-10-24T23:30:00Z'))).toBe(true); // 01:30 CEST
    expect(isOpenAt(h, at('2026-10-25T02:30:00Z'))).toBe(true); // 03:30 CET
    expect(nextChange(h, at('2026-10-25T02:30:00Z'))).toBe(at('2026-10-25T03:00:00Z'));
    expect(openStatus(h, at('2026-10-25T04:00:00Z')).opensAt).toBe(at('2026-11-01T00:00:00Z')); // 01:00 CET
  });

  it('answers unknown, never open, for missing, invalid or guessed hours', () => {
    for (const value of [null, '', '   ', 'Lu-Sam 10:00-21:00', 'Ma-Di 11:00-02:00', 'n’importe quoi']) {
      const h = compileHours(value, PARIS);
      expect(h.kind, String(value)).toBe('unknown');
      expect(isOpenAt(h, at('2026-11-28T12:00:00Z'))).toBeNull();
    }
    // "Sur rendez-vous" and open ends are unknown at those times, closed elsewhere.
    const h = compileHours('Mo-Fr 10:00-12:00 "sur rendez-vous"; Sa 10:00+', PARIS);
    expect(isOpenAt(h, at('2026-11-30T10:00:00Z'))).toBeNull();
    expect(isOpenAt(h, at('2026-11-28T10:00:00Z'))).toBeNull();
    expect(isOpenAt(h, at('2026-11-29T10:00:00Z'))).toBe(false);
  });

  it('lets a temporary closure win over the hours', () => {
    const h = compileHours('24/7', PARIS);
    const until = at('2026-11-30T08:00:00Z');
    expect(isOpenAt(h, at('2026-11-28T21:00:00Z'), until)).toBe(false);
    expect(openStatus(h, at('2026-11-28T21:00:00Z'), until)).toEqual({
      openNow: false,
      opensAt: until,
      closesAt: null,
    });
    expect(isOpenAt(compileHours(null, PARIS), at('2026-11-28T21:00:00Z'), until)).toBe(false);
  });

  it('never crashes on the real OSM samples, and agrees with the library on every valid one', () => {
    const windows = [at('2031-07-12T00:00:00Z'), at('2026-03-28T00:00:00Z'), at('2026-12-23T00:00:00Z')];
    let compared = 0;
    for (const { value } of SAMPLES) {
      for (const zone of [PARIS, REUNION, { timeZone: 'Europe/Paris', region: 'alsace-moselle' } as Zone]) {
        const h = compileHours(value, zone);
        const lib = libraryEvaluator(value, zone);
        expect(h.kind === 'unknown', value).toBe(lib === null);
        if (!lib) continue;
        for (const start of windows) {
          for (let t = start; t < start + 4 * 86_400_000; t += 30 * 60_000) {
            if (!libraryReliableAt(t)) continue;
            expect(
              stateAt(compileWithLibrary(value, zone), t),
              `${value} @ ${new Date(t).toISOString()}`,
            ).toBe(lib.stateAt(t));
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(20_000);
    expect(
      SAMPLES.filter((s) => compileHours(s.value, PARIS).kind === 'unknown').map((s) => s.value),
    ).toEqual(['Lu-Sam 10:00-21:00', 'Ma-Di 11:00-02:00']);
  });

  it('announces the same next change as the library, holidays and daylight saving included', () => {
    const starts = [
      at('2031-07-13T08:10:00Z'),
      at('2026-03-28T20:00:00Z'),
      at('2026-10-24T21:45:00Z'),
      at('2027-12-24T10:00:00Z'),
    ];
    // Values ending in PH off read differently from the library on purpose (tested above).
    const values = [...SAMPLES.map((s) => s.value), 'Mo-Fr 09:00-18:00; PH 10:00-12:00', 'Su,PH 20:00-03:00'];
    let compared = 0;
    for (const value of values) {
      const zone: Zone = { timeZone: 'Europe/Paris', region: 'alsace-moselle' };
      const lib = libraryEvaluator(value, zone);
      const h = compileHours(value, zone);
      if (!lib || h.kind !== 'week') continue;
      for (const start of starts) {
        for (let t = start; t < start + 3 * 86_400_000; t += 97 * 60_000) {
          if (!libraryReliableAt(t)) continue;
          expect(nextChange(h, t), `${value} @ ${new Date(t).toISOString()}`).toBe(
            lib.nextChange(t, t + 14 * 86_400_000),
          );
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(3_000);
  });

  it('agrees with the library on holiday rules around consecutive holidays in Alsace-Moselle', () => {
    const zone: Zone = { timeZone: 'Europe/Paris', region: 'alsace-moselle' };
    for (const value of [
      'Mo-Su 18:00-02:00; PH 10:00-01:00',
      'Mo-Fr 09:00-18:00; PH off',
      'Su,PH 20:00-03:00',
    ]) {
      const h = compileHours(value, zone);
      expect(h.kind).toBe('week');
      const lib = libraryEvaluator(value, zone)!;
      for (let t = at('2027-12-23T00:00:00Z'); t < at('2027-12-29T00:00:00Z'); t += 15 * 60_000) {
        expect(stateAt(h, t), `${value} @ ${new Date(t).toISOString()}`).toBe(lib.stateAt(t));
      }
    }
  });
});

describe('French public holidays', () => {
  it('match the opening_hours library in every region from 2025 to 2031', () => {
    for (const region of HOLIDAY_REGIONS) {
      const oh = parseWithLibrary('PH', region);
      for (let day = dayNumber(2025, 1, 1); day < dayNumber(2032, 1, 1); day++) {
        expect(oh.getState(fakeLocal(day, 720)), `${region} ${day}`).toBe(isHoliday(region, day));
      }
    }
  });

  it('gives Réunion 20 December and Alsace-Moselle Good Friday and 26 December', () => {
    const iso = (d: number) => new Date(d * 86_400_000).toISOString().slice(5, 10);
    expect(holidaysOf('reunion', 2026).map(iso)).toContain('12-20');
    expect(holidaysOf('metropole', 2026).map(iso)).not.toContain('12-20');
    expect(holidaysOf('alsace-moselle', 2026).map(iso)).toEqual(expect.arrayContaining(['04-03', '12-26']));
    expect(holidaysOf('metropole', 2026)).toHaveLength(11);
  });
});

describe('zones', () => {
  it('derives the time zone of overseas places from their position', () => {
    expect(zoneAt(48.88, 2.31).timeZone).toBe('Europe/Paris');
    expect(zoneAt(42.7, 9.45).timeZone).toBe('Europe/Paris'); // Bastia
    expect(zoneAt(16.24, -61.53)).toEqual({ timeZone: 'America/Guadeloupe', region: 'guadeloupe' });
    expect(zoneAt(4.93, -52.33).timeZone).toBe('America/Cayenne');
    expect(zoneAt(-22.28, 166.45).timeZone).toBe('Pacific/Noumea');
    expect(zoneAt(-17.54, -149.57).timeZone).toBe('Pacific/Tahiti');
    expect(zoneAt(-9.0, -140.0).timeZone).toBe('Pacific/Marquesas');
    expect(zoneAt(48.58, 7.75, '67000').region).toBe('alsace-moselle');
  });
});
