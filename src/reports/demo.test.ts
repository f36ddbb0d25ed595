import { latLngToCell } from 'h3-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import { actualAggregates, addTerritories, expectedAggregates } from '../../test/helpers/reports.ts';
import { seedDemoReports } from './demo.ts';

describe.each(backends())('demo reports on %s', (backend) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(backend);
    await addTerritories(t, ['75117', '76540']);
  });
  afterEach(async () => {
    await t.close();
  });

  it('seeds a labelled synthetic year for Paris 17e and Rouen once, with exact aggregates', async () => {
    expect(await seedDemoReports(t.services)).toBe(6000);
    const k = t.services.db.kysely;
    const rows = await k.selectFrom('reports').select(['territory_code', 'synthetic', 'status']).execute();
    expect(rows).toHaveLength(6000);
    expect(rows.every((r) => r.synthetic === 1 && r.status === 'accepted')).toBe(true);
    expect(rows.filter((r) => r.territory_code === '75117')).toHaveLength(3000);
    const expected = await expectedAggregates(t);
    const actual = await actualAggregates(t);
    expect(actual.counts).toEqual(expected.counts);
    expect(actual.hours).toEqual(expected.hours);
    expect(await seedDemoReports(t.services)).toBe(0);
  });

  it('makes nightlife streets stand out on a 12-month heatmap, and nights on the hour chart', async () => {
    await seedDemoReports(t.services);
    const staff = await userWith(t, { roles: ['staff'], territories: ['75117'] });
    const from = new Date(t.clock.now() - 366 * 86_400_000).toISOString();
    const res = await t.app.inject({
      url: `/api/territories/75117/heatmap?from=${from}`,
      headers: staff.auth,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(3000);
    const clichy = latLngToCell(48.8846, 2.3208, 9); // rue des Dames
    const top = [...body.features].sort((a, b) => b.properties.count - a.properties.count).slice(0, 10);
    expect(top.map((f: { properties: { cell: string } }) => f.properties.cell)).toContain(clichy);
    const stats = (
      await t.app.inject({ url: `/api/territories/75117/stats?from=${from}`, headers: staff.auth })
    ).json();
    // The demo's reports happen mostly at night and at the weekend, and weeks release them.
    const band = (from: number) => stats.hourBands.find((b: { from: number }) => b.from === from).count ?? 0;
    const day = (weekday: number) =>
      stats.weekdays.find((d: { weekday: number }) => d.weekday === weekday).count ?? 0;
    expect(band(21)).toBeGreaterThan(band(9));
    expect(day(6)).toBeGreaterThan(day(2));
  });
});
