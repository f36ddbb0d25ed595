/**
 * Migration 0012: an install upgraded from the hour/day/8-day/64-day aggregates gets week rows
 * rebuilt from its accepted reports, with the same totals.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import { undoMigrationsAfter } from '../../test/helpers/migrations.ts';
import {
  actualAggregates,
  addTerritories,
  expectedAggregates,
  PLACES,
  postReport,
  reportBody,
} from '../../test/helpers/reports.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { configureReports } from './settings.ts';

const HOUR = 3_600_000;
/** The former levels: buckets of 1 h, 1 d, 8 d and 64 d aligned on the epoch. */
const LEGACY_LEVEL_HOURS = [1, 24, 192, 1536];

describe.each(backends())('migration 0012 (week aggregates) on %s', (backend) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(backend);
    await addTerritories(t);
    configureReports(t.services, { dailyQuota: 1000, burstThreshold: 5 });
  });
  afterEach(async () => {
    await t.close();
  });

  it('rebuilds report_counts as week rows from the accepted reports, same totals, held ones left out', async () => {
    const citizen = await userWith(t);
    const post = async (occurredAt: number, place: { lat: number; lon: number }, category = 'following') =>
      expect(
        (
          await postReport(
            t,
            citizen.auth,
            reportBody(t, { ...place, category, occurredAt: new Date(occurredAt).toISOString() }),
          )
        ).statusCode,
      ).toBe(201);
    // Three weeks of reports in two territories, one every 7 hours, and a burst (1 held).
    for (let i = 0; i < 60; i++) {
      await post(
        t.clock.now() - i * 7 * HOUR - 60_000,
        i % 3 ? PLACES.batignolles : PLACES.ternes,
        i % 2 ? 'following' : 'insecurity',
      );
      if (i % 10 === 0) await post(t.clock.now() - i * 5 * HOUR - 60_000, PLACES.gros_horloge);
    }
    for (let i = 0; i < 6; i++) await post(t.clock.now() - 90 * 60_000, PLACES.ternes);
    const db = t.services.db.kysely;
    const held = await db.selectFrom('reports').select('id').where('status', '=', 'held').execute();
    expect(held).toHaveLength(1);

    // The database as version 0010 left it: the four former levels, from the accepted reports.
    const accepted = await db
      .selectFrom('reports')
      .select(['territory_code', 'category', 'cell9', 'hour_bucket'])
      .where('status', '=', 'accepted')
      .execute();
    const legacy = new Map<
      string,
      { territory_code: string; level: number; category: string; bucket: number; cell: string; n: number }
    >();
    for (const r of accepted) {
      for (const category of [r.category, '*'])
        for (let level = 0; level < LEGACY_LEVEL_HOURS.length; level++) {
          const size = LEGACY_LEVEL_HOURS[level] * HOUR;
          const bucket = Math.floor(Number(r.hour_bucket) / size) * size;
          for (const cell of [r.cell9, '']) {
            const key = `${r.territory_code}|${level}|${category}|${bucket}|${cell}`;
            const row = legacy.get(key) ?? {
              territory_code: r.territory_code,
              level,
              category,
              bucket,
              cell,
              n: 0,
            };
            row.n += 1;
            legacy.set(key, row);
          }
        }
    }
    await db.deleteFrom('report_counts').execute();
    const rows = [...legacy.values()];
    for (let i = 0; i < rows.length; i += 500)
      await db
        .insertInto('report_counts')
        .values(rows.slice(i, i + 500))
        .execute();
    // Back to an install of before 0012 (so before every later migration, the week stamps too);
    // 0012 itself has no `down`: its legacy rows were written above.
    const later = await undoMigrationsAfter(db, '0012_report_week_counts');
    await sql`delete from kysely_migration where name = '0012_report_week_counts'`.execute(db);
    const legacyTotal = rows
      .filter((r) => r.level === 0 && r.category === '*' && r.cell === '')
      .reduce((s, r) => s + r.n, 0);
    expect(legacyTotal).toBe(accepted.length);

    expect(await migrateToLatest(t.services.db)).toEqual(['0012_report_week_counts', ...later]);

    const expected = await expectedAggregates(t);
    const actual = await actualAggregates(t);
    expect(actual.counts).toEqual(expected.counts);
    expect(actual.hours).toEqual(expected.hours);
    const after = await db.selectFrom('report_counts').selectAll().execute();
    expect(new Set(after.map((r) => Number(r.level)))).toEqual(new Set([4]));
    const weekTotal = after
      .filter((r) => r.category === '*' && r.cell === '')
      .reduce((s, r) => s + Number(r.n), 0);
    expect(weekTotal).toBe(legacyTotal);

    const staff = await userWith(t, { roles: ['staff'], territories: ['75117'] });
    const heatmap = await t.app.inject({ url: '/api/territories/75117/heatmap', headers: staff.auth });
    const paris = accepted.filter((r) => r.territory_code === '75117').length;
    expect(heatmap.json()).toMatchObject({ total: paris + 1, held: 1 });
  });
});
