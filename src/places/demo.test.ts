import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import { loadBundledTerritories } from '../territories/bundled.ts';
import { importTerritories } from '../territories/import.ts';
import { DEMO_PARTNER_EMAIL, seedDemoPlaces } from './demo.ts';

describe.each(backends())('demo places on %s', (backend) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(backend);
    await importTerritories(t.services, loadBundledTerritories());
  });
  afterEach(async () => {
    await t.close();
  });

  it('seeds the real stations and labelled demo venues once, some owned by the demo partner', async () => {
    const cafe = await userWith(t, { email: DEMO_PARTNER_EMAIL });
    const report = await seedDemoPlaces(t.services);
    // 6 official records are misplaced (latitude repeated as longitude): rejected (import.test.ts).
    expect(report).toEqual({ skipped: false, official: 3654 + 112, rejected: 6, partners: 14 });
    expect((await seedDemoPlaces(t.services)).skipped).toBe(true);

    const mine = await t.app.inject({ url: '/api/partner/places', headers: cafe.auth });
    expect(
      mine
        .json()
        .places.map((p: { name: string }) => p.name)
        .sort(),
    ).toEqual(['Au Vieux-Marché (démo)', 'Le Refuge des Batignolles (démo)']);
    // Saturday 22:00 in Paris: demo bars are open and trained near Batignolles and in Rouen.
    for (const [lat, lon, territory] of [
      [48.8846, 2.3206, '75117'],
      [49.4433, 1.088, '76540'],
    ] as const) {
      const res = await t.app.inject({
        url: `/api/places/nearest?lat=${lat}&lon=${lon}&partnerOnly=true&openOnly=true`,
      });
      const [first] = res.json().places;
      expect(first).toMatchObject({ partner: true, openNow: true });
      expect(first.name).toMatch(/\(démo\)$/);
      const queue = await t.services.db.kysely
        .selectFrom('places')
        .select('territory_code')
        .where('id', '=', first.id)
        .executeTakeFirstOrThrow();
      expect(queue.territory_code).toBe(territory);
    }
  });

  it('places every Paris demo venue in the arrondissement of its postcode', async () => {
    await seedDemoPlaces(t.services);
    const venues = await t.services.db.kysely
      .selectFrom('places')
      .select(['name', 'address', 'territory_code'])
      .where('source', '=', 'partner')
      .execute();
    const paris = venues.filter((v) => /\b750\d\d\b/.test(v.address ?? ''));
    expect(paris.length).toBeGreaterThan(5);
    for (const venue of paris) {
      const arrondissement = /\b750(\d\d)\b/.exec(venue.address!)![1];
      expect({ name: venue.name, territory: venue.territory_code }).toEqual({
        name: venue.name,
        territory: `751${arrondissement}`,
      });
    }
  });
});
