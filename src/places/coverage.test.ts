import { latLngToCell } from 'h3-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import { anonymizeReport } from '../reports/anonymize.ts';
import { writeReportsBulk } from '../reports/writer.ts';
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

  /** n accepted reports at a place and hour, through the intake's anonymization and bulk writer. */
  async function reports(at: { lat: number; lon: number }, hourIso: string, n: number) {
    const input = { category: 'following', role: 'victim', ...at, occurredAt: hourIso };
    const rows = Array.from({ length: n }, () => anonymizeReport(input, '76540', t.clock.now()));
    await writeReportsBulk(t.services, rows, { synthetic: false });
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
    // 90 days, widened to the whole UTC weeks they touch.
    expect(body).toMatchObject({
      from: '2026-08-24T00:00:00.000Z',
      to: '2026-11-30T00:00:00.000Z',
      weeks: 14,
    });
    expect(body.features.map((f: { properties: object }) => f.properties)).toEqual([
      { rank: 1, cell: latLngToCell(BAR.lat, BAR.lon, 9), resolution: 9, uncovered: 5 },
    ]);
  });

  it('folds each week on its own: gaps of two weeks below k each stay hidden (no differencing)', async () => {
    await reports(BAR, '2026-11-22T04:00:00Z', 3); // Sunday 05:00 Paris, week of 16 November
    await reports(BAR, '2026-11-23T04:00:00Z', 3); // Monday 05:00 Paris, week of 23 November
    const staff = await userWith(t, { roles: ['staff'], territories: ['76540'] });
    const body = (
      await t.app.inject({ url: '/api/territories/76540/coverage-gaps', headers: staff.auth })
    ).json();
    // 6 uncovered reports in one cell, but never k of them in one week: shown nowhere.
    expect(body).toMatchObject({ total: 6, uncovered: 6, hidden: 6, features: [] });
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
