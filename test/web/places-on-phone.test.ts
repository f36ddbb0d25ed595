/**
 * The places list searches on the phone, in exports of grid areas (nearest-on-phone.ts), so
 * that the server never learns the position. For the same position, filters and instant it
 * must list exactly what GET /api/places/nearest answers within the page's reach — in a dense
 * city, a town, the countryside at night and La Réunion — and it must ask only grid areas.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nearestOnPhone, PLACES_REACH_M, REACH_STEPS_M } from '../../web/src/places/nearest-on-phone.ts';
import { gridAreaWithin, type SavedArea } from '../../web/src/places/offline-store.ts';
import type { TestApp } from '../helpers/app.ts';
import { demoPlacesApp, FILTERS, INSTANTS, nearestUrl } from '../helpers/places-queries.ts';

let t: TestApp;
beforeAll(async () => {
  t = await demoPlacesApp();
});
afterAll(async () => {
  await t?.close();
});

/** What the phone would download for a reach: the export of the grid area holding the disc. */
function areasFrom(lat: number, lon: number, asked: string[]) {
  return async (reachM: number): Promise<{ area: SavedArea; downloaded: boolean }> => {
    const bbox = gridAreaWithin(lat, lon, reachM);
    const url = `/api/places/export?bbox=${bbox.map((v) => v.toFixed(1)).join(',')}`;
    asked.push(url);
    const res = await t.app.inject({ url });
    expect(res.statusCode, url).toBe(200);
    const data = res.json();
    return {
      area: { key: bbox.join(','), bbox, generatedAt: Date.parse(data.generatedAt), data },
      downloaded: true,
    };
  };
}

const PLACES = [
  ['Paris 17e', 48.8838, 2.3203],
  ['Rouen', 49.4404, 1.0902],
  ['Lozère, countryside', 44.52, 3.5],
  ['Saint-Denis (La Réunion)', -20.8789, 55.4481],
  ['Bay of Biscay, 200 km out', 45.5, -4.5],
] as const;

describe('nearest refuge on the phone, in exports of grid areas', () => {
  for (const [name, lat0, lon0] of PLACES) {
    it(`lists what the server answers within ${PLACES_REACH_M / 1000} km around ${name}`, async () => {
      let compared = 0;
      let wider = 0;
      for (const at of INSTANTS) {
        for (const filters of FILTERS) {
          for (const [dLat, dLon, limit] of [
            [0, 0, 10],
            [0.0137, -0.021, 5],
            [-0.031, 0.017, 25],
          ]) {
            const lat = lat0 + dLat;
            const lon = lon0 + dLon;
            const ask = async (n: number) => {
              const { places } = (await t.app.inject({ url: nearestUrl(lat, lon, filters, n, at) })).json();
              return places as { id: string; distanceM: number }[];
            };
            const server = await ask(limit);
            const asked: string[] = [];
            const found = await nearestOnPhone(
              areasFrom(lat, lon, asked),
              lat,
              lon,
              filters,
              limit,
              Date.parse(at),
            );
            const expected = server.filter((p) => p.distanceM <= PLACES_REACH_M);
            const where = `${name} ${at} ${JSON.stringify(filters)} +${dLat},${dLon}`;
            // The same distances, each a place the server lists at that distance: places at the
            // same distance (stations geocoded to their town's centre) come in either order.
            expect(
              found.places.map((p) => p.distanceM),
              where,
            ).toEqual(expected.map((p) => p.distanceM));
            const wide = new Map((await ask(limit + 20)).map((p) => [p.id, p.distanceM]));
            for (const p of found.places) expect(wide.get(p.id), where).toBe(p.distanceM);
            expect(new Set(found.places.map((p) => p.id)).size).toBe(found.places.length);
            // The wider area only when the first did not hold `limit` places within its reach.
            const withinFirst = server.filter((p) => p.distanceM <= REACH_STEPS_M[0]).length;
            expect(asked.length).toBe(withinFirst >= limit ? 1 : 2);
            for (const url of asked)
              expect(url).toMatch(/^\/api\/places\/export\?bbox=(-?\d+\.\d,){3}-?\d+\.\d$/);
            compared += expected.length;
            if (asked.length === 2) wider += 1;
          }
        }
      }
      if (name.startsWith('Bay')) expect(compared).toBe(0);
      else expect(compared).toBeGreaterThan(40);
      // Every place shows both steps somewhere (open at night or police only is sparse).
      expect(wider).toBeGreaterThan(0);
    });
  }

  it('keeps the narrower list, exact within its reach, when the wider area cannot be had', async () => {
    const [lat, lon] = [44.52, 3.5];
    const first = areasFrom(lat, lon, []);
    const found = await nearestOnPhone(
      async (reachM) => {
        if (reachM > REACH_STEPS_M[0]) throw new TypeError('Failed to fetch');
        return first(reachM);
      },
      lat,
      lon,
      FILTERS[0],
      10,
      Date.parse(INSTANTS[0]),
    );
    expect(found.reachM).toBe(REACH_STEPS_M[0]);
    expect(found.places.every((p) => p.distanceM <= REACH_STEPS_M[0])).toBe(true);
    await expect(
      nearestOnPhone(
        async () => {
          throw new TypeError('Failed to fetch');
        },
        lat,
        lon,
        FILTERS[0],
        10,
      ),
    ).rejects.toThrow('Failed to fetch');
  });
});
