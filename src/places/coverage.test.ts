import { latLngToCell } from 'h3-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import { loadBundledTerritories } from '../territories/bundled.ts';
import { importTerritories } from '../territories/import.ts';
import { upsertParsed } from './import/import.ts';

const BAR = { lat: 49.4433, lon: 1.088 }; // place du Vieux-Marché, Rouen
const FAR = { lat: 49.4262, lon: 1.0702 }; // Rouen, left bank, no refuge around

describe.each(backends())('coverage gaps on %s', (backend) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(backend);
    await importTerritories(t.services, loadBundledTerritories());
    await upsertParsed(
      t.services,
      [
        {
          row: 1,
          sourceId: 'bar-1',
          name: 'Bar du Marché',
          kind: 'bar',
          ...BAR,
          address: null,
          phone: null,
          openingHours: 'Mo-Sa 17:00-02:00',
          accessibility: null,
          postcode: '76000',
        },
      ],
      'osm',
    );
  });
  afterEach(async () => {
    await t.close();
  });

  async function reports(at: { lat: number; lon: number }, hourIso: string, n: number) {
    await t.services.db.kysely
      .insertInto('report_counts')
      .values({
        territory_code: '76540',
        level: 0,
        category: '*',
        bucket: Date.parse(hourIso),
        cell: latLngToCell(at.lat, at.lon, 9),
        n,
      })
      .execute();
  }

  it('ranks the cells whose reports had no open refuge within 300 m, under the k rule', async () => {
    await reports(BAR, '2026-11-21T21:00:00Z', 6); // Saturday 22:00: the bar is open
    await reports(BAR, '2026-11-22T04:00:00Z', 5); // Sunday 05:00: closed
    await reports(FAR, '2026-11-21T21:00:00Z', 2); // below k everywhere
    const staff = await userWith(t, { roles: ['staff'], territories: ['76540'] });
    const res = await t.app.inject({ url: '/api/territories/76540/coverage-gaps', headers: staff.auth });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ total: 13, uncovered: 7, hidden: 2, k: 5, walkM: 300 });
    expect(body.features.map((f: { properties: object }) => f.properties)).toEqual([
      { rank: 1, cell: latLngToCell(BAR.lat, BAR.lon, 9), resolution: 9, uncovered: 5 },
    ]);
  });

  it('shows gaps to staff of the territory and admins only', async () => {
    const paris = await userWith(t, { roles: ['staff'], territories: ['75117'] });
    const admin = await userWith(t, { roles: ['admin'] });
    const citizen = await userWith(t);
    const url = '/api/territories/76540/coverage-gaps?days=30&walkM=500';
    expect((await t.app.inject({ url })).statusCode).toBe(401);
    expect((await t.app.inject({ url, headers: citizen.auth })).statusCode).toBe(403);
    expect((await t.app.inject({ url, headers: paris.auth })).statusCode).toBe(403);
    expect((await t.app.inject({ url, headers: admin.auth })).statusCode).toBe(200);
    expect((await t.app.inject({ url: `${url}&walkM=10`, headers: admin.auth })).statusCode).toBe(400);
  });
});
