import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import {
  actualAggregates,
  addTerritories,
  expectedAggregates,
  postReport,
  reportBody,
} from '../../test/helpers/reports.ts';
import { purgeExpiredReports, retentionCutoff, startReportJobs } from './retention.ts';
import { configureReports } from './settings.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('retentionCutoff', () => {
  it('is the start of the hour, whole calendar months ago', () => {
    expect(new Date(retentionCutoff(Date.parse('2026-11-28T21:37:00Z'), 24)).toISOString()).toBe(
      '2024-11-28T21:00:00.000Z',
    );
  });
});

describe.each(backends())('reports retention on %s', (backend) => {
  let t: TestApp;
  let citizen: Awaited<ReturnType<typeof userWith>>;
  beforeEach(async () => {
    t = await makeTestApp(backend);
    await addTerritories(t);
    configureReports(t.services, { dailyQuota: 1000 });
    citizen = await userWith(t);
  });
  afterEach(async () => {
    await t.close();
  });

  /** 20 reports, one every 36 hours over the 30 days before now. */
  async function reportMonth() {
    for (let i = 0; i < 20; i++) {
      const occurredAt = new Date(t.clock.now() - i * 36 * HOUR - 60_000).toISOString();
      expect((await postReport(t, citizen.auth, reportBody(t, { occurredAt }))).statusCode).toBe(201);
    }
  }
  const count = async () => (await t.services.db.kysely.selectFrom('reports').select('id').execute()).length;

  it('deletes reports older than 24 months with their share of every aggregate level', async () => {
    const t0 = t.clock.now();
    await reportMonth();
    // Move to the day the cutoff falls 10 days before t0: inside day, 8-day and 64-day buckets.
    const later = new Date(t0 - 10 * DAY);
    later.setUTCMonth(later.getUTCMonth() + 24);
    t.clock.t = later.getTime() + 30 * 60_000;
    citizen = await userWith(t); // sessions do not last two years
    await reportMonth();
    expect(await count()).toBe(40);

    const result = await purgeExpiredReports(t.services);
    const cutoff = Date.parse(result.cutoff);
    expect(cutoff).toBe(retentionCutoff(t.clock.now(), 24));
    const kept =
      20 +
      Array.from({ length: 20 }, (_, i) => t0 - i * 36 * HOUR - 60_000).filter((x) => x >= cutoff).length;
    expect(result.reports).toBe(40 - kept);
    expect(await count()).toBe(kept);
    const expected = await expectedAggregates(t);
    const actual = await actualAggregates(t);
    expect(actual.counts).toEqual(expected.counts);
    expect(actual.hours).toEqual(expected.hours);

    const staff = await userWith(t, { roles: ['staff'], territories: ['75117'] });
    const from = new Date(t.clock.now() - 790 * DAY).toISOString();
    const heatmap = await t.app.inject({
      url: `/api/territories/75117/heatmap?from=${from}`,
      headers: staff.auth,
    });
    expect(heatmap.json().total).toBe(kept);

    // Idempotent: a second run changes nothing.
    expect((await purgeExpiredReports(t.services)).reports).toBe(0);
    expect(await actualAggregates(t)).toEqual(actual);
  });

  it('purges quota rows of past days and keeps today’s', async () => {
    await postReport(t, citizen.auth, reportBody(t));
    t.clock.advance(DAY);
    await postReport(t, citizen.auth, reportBody(t));
    expect(await t.services.db.kysely.selectFrom('report_quota').select('day').execute()).toHaveLength(2);
    expect((await purgeExpiredReports(t.services)).quotaRows).toBe(1);
    const left = await t.services.db.kysely.selectFrom('report_quota').select('day').execute();
    expect(left).toEqual([{ day: new Date(t.clock.now()).toISOString().slice(0, 10) }]);
  });

  it('runs on a schedule once started', async () => {
    await postReport(t, citizen.auth, reportBody(t));
    t.clock.advance(2 * DAY);
    configureReports(t.services, { retentionIntervalMs: 20 });
    const jobs = startReportJobs(t.services);
    try {
      for (let i = 0; i < 100; i++) {
        if ((await t.services.db.kysely.selectFrom('report_quota').select('day').execute()).length === 0)
          break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await t.services.db.kysely.selectFrom('report_quota').select('day').execute()).toEqual([]);
    } finally {
      await jobs.stop();
    }
  });
});
