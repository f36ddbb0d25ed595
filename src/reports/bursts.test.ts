/**
 * Burst counters (bursts.ts) stay equal to the number of stored reports of each (cell, hour)
 * inside the window, whatever path stored or removed them, and migration 0015 fills them from
 * an existing install.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import { undoMigrationsAfter } from '../../test/helpers/migrations.ts';
import { addTerritories, PLACES, postReport, reportBody } from '../../test/helpers/reports.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { anonymizeReport, type ReportInput } from './anonymize.ts';
import { burstWindowStart } from './bursts.ts';
import { DAY_MS } from './local-time.ts';
import { purgeExpiredReports } from './retention.ts';
import { configureReports } from './settings.ts';
import { writeReportsBulk } from './writer.ts';

/** `cell|hour` → n, from the counters and from `count(*)` of the reports from hour `from` on. */
async function countersAndReports(t: TestApp, from = Number.NEGATIVE_INFINITY) {
  const db = t.services.db.kysely;
  const counters = await db.selectFrom('report_bursts').selectAll().execute();
  const stored = await db
    .selectFrom('reports')
    .select(['cell9', 'hour_bucket', sql<number>`count(*)`.as('n')])
    .groupBy(['cell9', 'hour_bucket'])
    .execute();
  const asMap = (rows: { cell9: string; hour_bucket: number; n: number }[]) =>
    Object.fromEntries(
      rows
        .filter((r) => Number(r.hour_bucket) >= from && Number(r.n) > 0)
        .map((r) => [`${r.cell9}|${Number(r.hour_bucket)}`, Number(r.n)]),
    );
  return { counters: asMap(counters), reports: asMap(stored) };
}

describe.each(backends())('burst counters on %s', (backend) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(backend);
    await addTerritories(t);
    configureReports(t.services, { dailyQuota: 1000, burstThreshold: 3 });
  });
  afterEach(async () => {
    await t.close();
  });

  it('count every stored report: group commit, held ones, a rejection, bulk writes; retention forgets past hours', async () => {
    const citizen = await userWith(t);
    const statuses: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await postReport(t, citizen.auth, reportBody(t, PLACES.ternes));
      expect(res.statusCode).toBe(201);
      statuses.push(res.json().status);
    }
    for (let i = 0; i < 2; i++)
      expect((await postReport(t, citizen.auth, reportBody(t, PLACES.batignolles))).statusCode).toBe(201);
    const db = t.services.db.kysely;
    const held = await db.selectFrom('reports').select('id').where('status', '=', 'held').execute();
    expect(held).toHaveLength(2);
    let seen = await countersAndReports(t);
    expect(Object.values(seen.counters).sort()).toEqual([2, 5]);
    expect(seen.counters).toEqual(seen.reports);

    // Rejecting a held report takes it out of its counter: the next one there is counted 5th.
    const admin = await userWith(t, { roles: ['admin'] });
    const rejected = await t.app.inject({
      method: 'POST',
      url: `/api/admin/reports/${held[0].id}/reject`,
      headers: admin.auth,
    });
    expect(rejected.statusCode).toBe(204);
    seen = await countersAndReports(t);
    expect(Object.values(seen.counters).sort()).toEqual([2, 4]);
    expect(seen.counters).toEqual(seen.reports);

    // Bulk writes (demo, imports) count what falls inside the window, not older hours.
    const now = t.clock.now();
    const recent = anonymizeReport(reportBody(t, PLACES.gros_horloge) as ReportInput, '76540', now);
    const old = anonymizeReport(
      reportBody(t, {
        ...PLACES.gros_horloge,
        occurredAt: new Date(now - 29 * DAY_MS).toISOString(),
      }) as ReportInput,
      '76540',
      now,
    );
    t.clock.advance(12 * DAY_MS); // `old` is now 41 days old: past the window.
    await writeReportsBulk(t.services, [recent, recent, old], { synthetic: false });
    const from = burstWindowStart(t.clock.now());
    seen = await countersAndReports(t);
    const inWindow = await countersAndReports(t, from);
    expect(seen.counters).toEqual(inWindow.reports);
    expect(Object.values(seen.counters).sort()).toEqual([2, 2, 4]);

    // Past the window, the retention job forgets the counters (the reports stay: 24 months).
    t.clock.advance(31 * DAY_MS);
    const purged = await purgeExpiredReports(t.services);
    expect(purged.burstCounters).toBe(3);
    expect(await db.selectFrom('report_bursts').selectAll().execute()).toEqual([]);
    expect((await countersAndReports(t)).reports).not.toEqual({});
  });

  it('are filled from the stored reports by migration 0015', async () => {
    const citizen = await userWith(t);
    for (const place of [PLACES.ternes, PLACES.ternes, PLACES.batignolles, PLACES.gros_horloge])
      expect((await postReport(t, citizen.auth, reportBody(t, place))).statusCode).toBe(201);
    const before = await countersAndReports(t);
    const db = t.services.db.kysely;
    // Later migrations are undone and redone with it.
    const later = ['0016_trail_log', '0017_place_rejections'];
    expect(await undoMigrationsAfter(db, '0014_sos_passkeys')).toEqual(['0015_report_bursts', ...later]);
    expect(await migrateToLatest(t.services.db)).toEqual(['0015_report_bursts', ...later]);
    const after = await countersAndReports(t);
    expect(after.counters).toEqual(before.reports);
    expect(Object.values(after.counters).sort()).toEqual([1, 1, 2]);
  });
});
