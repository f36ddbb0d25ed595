import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { distance } from 'geokdbush';
import { describe, expect, it } from 'vitest';
import { compileHours } from '../hours/compile.ts';
import { isOpenAt } from '../hours/evaluate.ts';
import { compileWithLibrary } from '../hours/fallback.ts';
import { zoneAt } from '../hours/zones.ts';
import { PLACE_KINDS, type PlaceKind } from '../kinds.ts';
import { buildExport } from './export-format.ts';
import { indexFromExport } from './from-export.ts';
import { type IndexedPlace, PlacesIndex } from './places-index.ts';

const HOURS = [
  null,
  'Mo-Sa 18:00-02:00',
  'Mo-Sa 18:00-02:00; PH off',
  '24/7',
  'Mo-Fr 08:00-12:00,14:00-18:00',
  'Mo-Sa 09:00-20:00; Su off; PH off',
  'Mo-Su 10:00-12:00 "sur rendez-vous"',
  'Apr-Sep Mo-Su 10:00-22:00; Oct-Mar Mo-Sa 10:00-18:00',
  'Lu-Sam 10:00-21:00',
];

const placeArb = fc.record({
  lat: fc.double({ min: 42, max: 51, noNaN: true }),
  lon: fc.double({ min: -5, max: 8, noNaN: true }),
  kind: fc.constantFrom(...PLACE_KINDS),
  partner: fc.boolean(),
  hours: fc.nat(HOURS.length - 1),
  closed: fc.constantFrom(0, 0, 0, 1),
});

const T0 = Date.parse('2026-07-10T00:00:00Z');

type PlaceSpec = typeof placeArb extends fc.Arbitrary<infer T> ? T : never;

function makePlaces(specs: PlaceSpec[], rulesWithLibrary = true): IndexedPlace[] {
  return specs.map((s, i) => {
    const zone = zoneAt(s.lat, s.lon);
    return {
      id: `p${i}`,
      name: `Place ${i}`,
      kind: s.kind,
      lat: s.lat,
      lon: s.lon,
      address: null,
      phone: null,
      partner: s.partner,
      trainingExpiresAt: null,
      closedUntil: s.closed ? T0 + 3 * 86_400_000 : null,
      hours: rulesWithLibrary ? compileWithLibrary(HOURS[s.hours], zone) : compileHours(HOURS[s.hours], zone),
    };
  });
}

describe('places index', () => {
  it('returns the same nearest places as brute force, with every filter (property)', () => {
    fc.assert(
      fc.property(
        fc.array(placeArb, { minLength: 0, maxLength: 300 }),
        fc.record({
          lat: fc.double({ min: 41, max: 52, noNaN: true }),
          lon: fc.double({ min: -6, max: 9, noNaN: true }),
          limit: fc.integer({ min: 1, max: 50 }),
          at: fc.integer({ min: T0, max: T0 + 20 * 86_400_000 }),
          kinds: fc.subarray([...PLACE_KINDS] as PlaceKind[]),
          partnerOnly: fc.boolean(),
          openOnly: fc.boolean(),
        }),
        (specs, q) => {
          const places = makePlaces(specs);
          const index = new PlacesIndex(places, 8);
          const got = index.nearest(q.lat, q.lon, q);
          const expected = places
            .filter(
              (p) =>
                (!q.kinds.length || q.kinds.includes(p.kind)) &&
                (!q.partnerOnly || p.partner) &&
                (!q.openOnly || isOpenAt(p.hours, q.at, p.closedUntil) === true),
            )
            .map((p) => Math.round(distance(q.lon, q.lat, p.lon, p.lat) * 1000))
            .sort((a, b) => a - b)
            .slice(0, q.limit);
          expect(got.map((h) => h.distanceM)).toEqual(expected);
          for (const hit of got) {
            if (q.openOnly) expect(isOpenAt(hit.place.hours, q.at, hit.place.closedUntil)).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('answers open now from its flat tables exactly as the hours evaluator does', () => {
    const specs = fc.sample(placeArb, { numRuns: 200, seed: 7 });
    const places = makePlaces(specs);
    const index = new PlacesIndex(places);
    for (let at = T0; at < T0 + 5 * 86_400_000; at += 37 * 60_000) {
      places.forEach((p, i) => {
        expect(index.openAt(i, at), `${p.id} ${new Date(at).toISOString()}`).toBe(
          isOpenAt(p.hours, at, p.closedUntil),
        );
      });
    }
  });

  it('is rebuilt from its export with the same answers, rules unknown without the library', () => {
    const specs = fc.sample(placeArb, { numRuns: 500, seed: 11 });
    const places = makePlaces(specs);
    const index = new PlacesIndex(places);
    const data = JSON.parse(JSON.stringify(buildExport(places, [-5, 42, 8, 51], T0)));
    expect(data.hours.length).toBeLessThan(HOURS.length * 3);
    const offline = indexFromExport(data);
    const at = T0 + 20 * 3_600_000;
    const rulesIndex = HOURS.indexOf('Apr-Sep Mo-Su 10:00-22:00; Oct-Mar Mo-Sa 10:00-18:00');
    for (const [lat, lon] of [
      [48.88, 2.31],
      [49.44, 1.09],
      [43.3, 5.4],
    ]) {
      const online = index.nearest(lat, lon, { at, limit: 20, openOnly: true });
      const cached = offline.nearest(lat, lon, { at, limit: 20, openOnly: true });
      // Same answers except places whose hours need the library (unknown offline).
      const withoutRules = online.filter((h) => specs[Number(h.place.id.slice(1))].hours !== rulesIndex);
      expect(cached.map((h) => h.place.id).slice(0, withoutRules.length)).toEqual(
        withoutRules.map((h) => h.place.id),
      );
    }
    const full = indexFromExport(data, {
      attachRules: (h) => compileWithLibrary(h.kind === 'rules' ? h.value : null, h),
    });
    expect(full.nearest(48.88, 2.31, { at, limit: 20, openOnly: true }).map((h) => h.place.id)).toEqual(
      index.nearest(48.88, 2.31, { at, limit: 20, openOnly: true }).map((h) => h.place.id),
    );
  });

  it('honours a temporary closure to the millisecond, in the filtered and the deep-night searches', () => {
    const zone = zoneAt(48.88, 2.31);
    const reopen = Date.parse('2026-11-28T23:00:30Z');
    const make = (n: number, hours: string): IndexedPlace[] =>
      Array.from({ length: n }, (_, i) => ({
        id: `${hours}-${i}`,
        name: `P${i}`,
        kind: 'bar' as const,
        lat: 48.88 + i * 0.001,
        lon: 2.31,
        address: null,
        phone: null,
        partner: false,
        trainingExpiresAt: null,
        closedUntil: i === 0 ? reopen : null,
        hours: compileHours(hours, zone),
      }));
    // Many open (filter path) and few open (kd-tree of the open places).
    for (const places of [
      make(10, '24/7'),
      [...make(2, '24/7'), ...make(40, 'Mo-Fr 09:00-10:00').map((p) => ({ ...p, lat: p.lat + 1 }))],
    ]) {
      const index = new PlacesIndex(places);
      const before = index.nearest(48.88, 2.31, { at: reopen - 20_000, limit: 1, openOnly: true });
      const after = index.nearest(48.88, 2.31, { at: reopen + 10_000, limit: 1, openOnly: true });
      expect(before[0].place.id).not.toBe(places[0].id);
      expect(after[0].place.id).toBe(places[0].id);
      expect(
        index.nearest(48.88, 2.31, { at: reopen, limit: 50, openOnly: true, kinds: ['pharmacy'] }),
      ).toEqual([]);
    }
  });

  it('wraps longitudes and clamps latitudes instead of rejecting them', () => {
    const places = makePlaces(fc.sample(placeArb, { numRuns: 50, seed: 3 }));
    const index = new PlacesIndex(places);
    const a = index.nearest(48.8, 2.3, { at: T0, limit: 3 });
    const b = index.nearest(48.8, 362.3, { at: T0, limit: 3 });
    expect(b.map((h) => h.place.id)).toEqual(a.map((h) => h.place.id));
    expect(index.nearest(95, 2.3, { at: T0, limit: 1 })).toHaveLength(1);
  });

  it('lists the places of a box, capped, with a truncation flag', () => {
    const places = makePlaces(fc.sample(placeArb, { numRuns: 300, seed: 5 }));
    const index = new PlacesIndex(places);
    const all = index.inBbox([-5, 42, 8, 51], { limit: 10_000 });
    expect(all.places).toHaveLength(300);
    const capped = index.inBbox([-5, 42, 8, 51], { limit: 10 });
    expect(capped).toMatchObject({ truncated: true });
    expect(capped.places).toHaveLength(10);
    const bars = index.inBbox([-5, 42, 8, 51], { limit: 10_000, kinds: ['bar'] });
    expect(bars.places.every((p) => p.kind === 'bar')).toBe(true);
  });

  it('imports nothing from Node in the modules the browser runs (index, hours)', () => {
    for (const dir of ['../index/', '../hours/']) {
      const url = new URL(dir, import.meta.url);
      for (const file of readdirSync(url).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
        const source = readFileSync(new URL(file, url), 'utf8');
        const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
        for (const name of imports) {
          expect(name, `${dir}${file}`).toMatch(/^(\.\.?\/|geokdbush$|kdbush$|opening_hours$)/);
          expect(name, `${dir}${file}`).not.toMatch(/store|live-index|server|node:/);
        }
      }
    }
  });
});
