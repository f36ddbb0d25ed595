/**
 * The PWA's offline search runs the server's index and hours code on the saved export: for
 * the same position, filters and instant, it must answer exactly what GET /api/places/nearest
 * answers (real demo data: police stations of France and the demo venues), and a card rebuilt
 * offline must say what the online card says about opening.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offlineCard, offlineMapPlaces, offlineNearest } from '../../web/src/places/offline-search.ts';
import { areaAround, contains, type SavedArea } from '../../web/src/places/offline-store.ts';
import type { TestApp } from '../helpers/app.ts';
import { demoPlacesApp, FILTERS, INSTANTS, nearestUrl } from '../helpers/places-queries.ts';

let t: TestApp;
beforeAll(async () => {
  t = await demoPlacesApp();
});
afterAll(async () => {
  await t?.close();
});

async function savedArea(lat: number, lon: number): Promise<SavedArea> {
  const bbox = areaAround(lat, lon);
  const res = await t.app.inject({ url: `/api/places/export?bbox=${bbox.join(',')}` });
  expect(res.statusCode).toBe(200);
  const data = res.json();
  return { key: bbox.join(','), bbox, generatedAt: Date.parse(data.generatedAt), data };
}

describe('offline nearest refuge (browser code) against the server', () => {
  for (const [city, lat, lon] of [
    ['Paris 17e', 48.8838, 2.3203],
    ['Rouen', 49.4404, 1.0902],
  ] as const) {
    it(`answers like GET /api/places/nearest around ${city}, for every filter and instant`, async () => {
      const area = await savedArea(lat, lon);
      expect(area.data.places.length).toBeGreaterThan(5);
      let compared = 0;
      for (const at of INSTANTS) {
        for (const filters of FILTERS) {
          // Points inside the area, away from its edge (the server also knows what lies beyond).
          for (const [dLat, dLon] of [
            [0, 0],
            [0.004, -0.006],
            [-0.01, 0.012],
          ]) {
            const url = nearestUrl(lat + dLat, lon + dLon, filters, 8, at);
            const online = (await t.app.inject({ url })).json().places;
            const offline = offlineNearest(area, lat + dLat, lon + dLon, filters, 8, Date.parse(at));
            // The copy knows its area only: compare what lies inside it.
            const inside = online.filter((p: { lat: number; lon: number }) =>
              contains(area.bbox, p.lat, p.lon),
            );
            expect(offline.slice(0, inside.length)).toEqual(inside);
            compared += inside.length;
          }
        }
      }
      expect(compared).toBeGreaterThan(100);
    });
  }

  it('rebuilds a card offline that agrees with the online card on opening and training', async () => {
    const area = await savedArea(48.8838, 2.3203);
    t.clock.t = Date.parse('2026-11-28T21:00:00Z');
    for (const place of offlineMapPlaces(area, t.clock.t).slice(0, 40)) {
      const online = (await t.app.inject({ url: `/api/places/${place.id}` })).json();
      const offline = offlineCard(area, place.id, t.clock.t)!;
      expect({
        openNow: offline.openNow,
        opensAt: offline.opensAt,
        closesAt: offline.closesAt,
        trained: offline.trained,
        trainingExpiresOn: offline.trained ? offline.trainingExpiresOn : null,
        week: offline.week,
      }).toEqual({
        openNow: online.openNow,
        opensAt: online.opensAt,
        closesAt: online.closesAt,
        trained: online.trained,
        trainingExpiresOn: online.trained ? online.trainingExpiresOn : null,
        week: online.hoursStatus === 'known' ? online.week : [],
      });
    }
  });
});
