import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileWithLibrary } from './hours/fallback.ts';
import { zoneAt } from './hours/zones.ts';
import { type IndexedPlace, PlacesIndex } from './index/places-index.ts';
import { PLACE_KINDS } from './kinds.ts';
import { NearestJson } from './nearest-json.ts';
import { presentNearest } from './present-nearest.ts';

const HOURS = [
  null,
  'Mo-Sa 18:00-02:00',
  'Mo-Sa 18:00-02:00; PH off',
  '24/7',
  'Mo-Fr 08:00-12:00,14:00-18:00',
  'Mo-Sa 09:00-20:00; Su off; PH off',
  'Mo-Su 10:00-12:00 "sur rendez-vous"',
  'Apr-Sep Mo-Su 10:00-22:00; Oct-Mar Mo-Sa 10:00-18:00',
  'week 1-53/2 Fr 09:00-12:00',
  'not hours at all',
];
const DAY = 86_400_000;
// Around the autumn clock change and All Saints' Day (a public holiday).
const T0 = Date.parse('2026-10-24T00:00:00Z');

const placeArb = fc.record({
  lat: fc.double({ min: 43, max: 50, noNaN: true }),
  lon: fc.double({ min: -1, max: 7, noNaN: true }),
  kind: fc.constantFrom(...PLACE_KINDS),
  name: fc.string({ maxLength: 12, unit: 'grapheme' }),
  phone: fc.option(fc.string({ maxLength: 8 })),
  address: fc.option(fc.string({ maxLength: 20, unit: 'grapheme' })),
  partner: fc.boolean(),
  hours: fc.nat(HOURS.length - 1),
  trainingExpiresAt: fc.option(fc.integer({ min: T0, max: T0 + 12 * DAY })),
  closedUntil: fc.option(fc.integer({ min: T0, max: T0 + 12 * DAY })),
  // Overseas: La Réunion (UTC+4, its own holidays).
  reunion: fc.boolean(),
});

describe('nearest answer written from cached fragments', () => {
  it('is the JSON of presentNearest, query after query on one writer (property)', () => {
    fc.assert(
      fc.property(
        fc.array(placeArb, { minLength: 1, maxLength: 60 }),
        fc.array(
          fc.record({
            lat: fc.double({ min: 43, max: 50, noNaN: true }),
            lon: fc.double({ min: -1, max: 7, noNaN: true }),
            // Instants within a few minutes of each other, and days apart.
            at: fc.oneof(
              fc.integer({ min: T0 + 2 * DAY, max: T0 + 2 * DAY + 5 * 60_000 }),
              fc.integer({ min: T0, max: T0 + 12 * DAY }),
            ),
            openOnly: fc.boolean(),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        (specs, queries) => {
          const places: IndexedPlace[] = specs.map((s, i) => {
            const [lat, lon] = s.reunion ? [-21.1 + s.lat / 1000, 55.5 + s.lon / 1000] : [s.lat, s.lon];
            return {
              id: `p${i}"\u00e9`,
              name: s.name,
              kind: s.kind,
              lat,
              lon,
              address: s.address,
              phone: s.phone,
              partner: s.partner,
              trainingExpiresAt: s.trainingExpiresAt,
              closedUntil: s.closedUntil,
              hours: compileWithLibrary(HOURS[s.hours], zoneAt(lat, lon)),
            };
          });
          const index = new PlacesIndex(places, 8);
          const writer = new NearestJson(index);
          for (const q of queries) {
            const hits = index.nearest(q.lat, q.lon, { at: q.at, limit: 10, openOnly: q.openOnly });
            // Through JSON both ways (-0 is written 0, as by any serialiser).
            const expected = JSON.parse(
              JSON.stringify({ places: hits.map((hit) => presentNearest(hit, q.at)) }),
            );
            expect(JSON.parse(String(writer.answer(hits, q.at)))).toEqual(expected);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('shows a place open again in the minute its temporary closure ends', () => {
    const minute = T0 + 2 * DAY; // a Monday, 02:00 in Paris: 24/7 places are open
    const place = (id: string, closedUntil: number | null): IndexedPlace => ({
      id,
      name: id,
      kind: 'bar',
      lat: 48.85,
      lon: 2.35,
      address: null,
      phone: null,
      partner: false,
      trainingExpiresAt: null,
      closedUntil,
      hours: compileWithLibrary('24/7', zoneAt(48.85, 2.35)),
    });
    const index = new PlacesIndex([place('a', minute + 30_000), place('b', null)]);
    const writer = new NearestJson(index);
    const states = (at: number) =>
      JSON.parse(String(writer.answer(index.nearest(48.85, 2.35, { at, limit: 2 }), at))).places.map(
        (p: { id: string; openNow: boolean }) => `${p.id}:${p.openNow}`,
      );
    expect(states(minute + 40_000).sort()).toEqual(['a:true', 'b:true']);
    expect(states(minute + 10_000).sort()).toEqual(['a:false', 'b:true']);
  });

  it('writes an empty list', () => {
    const writer = new NearestJson(new PlacesIndex([]));
    expect(JSON.parse(String(writer.answer([], T0)))).toEqual({ places: [] });
  });
});
