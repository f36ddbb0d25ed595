/**
 * Released weeks kept per instance (released-weeks.ts): a heatmap answers exactly what a fresh
 * fold of every week gives, after every kind of change — intake (on SQLite committed by the
 * worker thread's own connection), late reports into a past week, moderation, another
 * instance writing with no bus between them, retention — and it does keep the folds of
 * weeks whose stamp did not change.
 */
import { latLngToCell } from 'h3-js';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import { undoMigrationsAfter } from '../../test/helpers/migrations.ts';
import { addTerritories, PLACES, postReport, reportBody } from '../../test/helpers/reports.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { Services } from '../server/services.ts';
import { ALL, readWeekCells, readWeekStamps, WEEK_LEVEL, WHOLE } from './aggregates.ts';
import { territoryHeatmap } from './heatmap.ts';
import { acceptHeldReport, listHeldReports } from './moderation.ts';
import { releaseBlocks } from './release.ts';
import { forgetReleasedWeeks } from './released-weeks.ts';
import { purgeExpiredReports } from './retention.ts';
import { configureReports } from './settings.ts';
import { resolveWindow, type WeekWindow, weekStart, weekStarts } from './window.ts';

type User = Awaited<ReturnType<typeof userWith>>;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CODE = '75117';
const BROCHANT = { lat: 48.8905, lon: 2.3205 }; // Paris 17e, another cell

describe.each(backends())('released weeks kept per instance on %s', (backend) => {
  let t: TestApp;
  let citizen: User;
  let window: WeekWindow;
  beforeEach(async () => {
    t = await makeTestApp(backend);
    await addTerritories(t);
    configureReports(t.services, { dailyQuota: 10_000, burstThreshold: 1000 });
    citizen = await userWith(t);
    window = resolveWindow({}, t.clock.now(), { defaultWeeks: 8, maxWeeks: 60 });
  });
  afterEach(async () => {
    await t.close();
  });

  /** n reports at a place, `daysAgo` days before now and one hour apart, through the API. */
  async function report(
    n: number,
    place: { lat: number; lon: number },
    daysAgo: number,
    options: { category?: string; via?: TestApp; user?: User; sameHour?: boolean } = {},
  ) {
    const via = options.via ?? t;
    for (let i = 0; i < n; i++) {
      const at = via.clock.now() - daysAgo * DAY - (options.sameHour ? 60_000 : (i + 1) * HOUR);
      const body = reportBody(via, {
        ...place,
        category: options.category ?? 'following',
        occurredAt: new Date(at).toISOString(),
      });
      expect((await postReport(via, (options.user ?? citizen).auth, body)).statusCode).toBe(201);
    }
  }

  /** The heatmap with kept weeks equals one folded afresh from the week rows. */
  async function expectFresh(s: Services = t.services, w: WeekWindow = window, category?: string) {
    const kept = await territoryHeatmap(s, CODE, w, category);
    const weeks = await readWeekCells(s.db.kysely, CODE, weekStarts(w), category);
    const fresh = releaseBlocks(weeks.values(), { k: kept.k });
    expect(kept.cells).toEqual(fresh.cells);
    expect(kept.total - kept.held).toBe(fresh.total);
    expect(kept.hidden - kept.held).toBe(fresh.hidden);
    return kept;
  }
  const countOf = (
    heatmap: { cells: { cell: string; count: number }[] },
    place: { lat: number; lon: number },
  ) => heatmap.cells.find((c) => c.cell === latLngToCell(place.lat, place.lon, 9))?.count;

  it('answers as a fresh fold after intake, late reports, moderation, another instance and retention', async () => {
    await report(6, PLACES.batignolles, 10);
    await report(4, PLACES.ternes, 3, { category: 'insecurity' });
    expect(countOf(await expectFresh(), PLACES.batignolles)).toBe(6);
    await expectFresh(); // now from kept weeks

    // A late report into a past week (the intake's own path: on SQLite, its worker thread).
    await report(1, PLACES.batignolles, 10);
    expect(countOf(await expectFresh(), PLACES.batignolles)).toBe(7);
    await expectFresh(t.services, window, 'insecurity');
    await report(1, PLACES.ternes, 3, { category: 'insecurity' });
    expect(countOf(await expectFresh(t.services, window, 'insecurity'), PLACES.ternes)).toBe(5);
    expect(countOf(await expectFresh(), PLACES.ternes)).toBe(5);

    // Moderation: held reports join the aggregates when accepted.
    configureReports(t.services, { burstThreshold: 2 });
    await report(5, BROCHANT, 12, { sameHour: true });
    const held = await listHeldReports(t.services, 100);
    expect(held.length).toBeGreaterThan(0);
    const before = await expectFresh();
    for (const h of held) await acceptHeldReport(t.services, h.id);
    const after = await expectFresh();
    expect(after.held).toBe(0);
    expect(countOf(after, BROCHANT)).toBe(5);
    expect(countOf(before, BROCHANT)).toBeUndefined();
    configureReports(t.services, { burstThreshold: 1000 });

    // Another instance on the same database, no bus between them (each has its own).
    const other = await makeTestApp(backend, { databaseOf: t });
    try {
      configureReports(other.services, { dailyQuota: 10_000, burstThreshold: 1000 });
      const theirs = await userWith(other);
      await expectFresh(other.services);
      await report(5, BROCHANT, 3, { via: other, user: theirs });
      expect(countOf(await expectFresh(), BROCHANT)).toBe(10);
      await report(2, PLACES.batignolles, 10, { via: other, user: theirs });
      expect(countOf(await expectFresh(), PLACES.batignolles)).toBe(9);
      await report(1, PLACES.batignolles, 10); // and back: the other instance sees this one
      expect(countOf(await expectFresh(other.services), PLACES.batignolles)).toBe(10);
    } finally {
      await other.close();
    }

    // Retention: two years later every report is gone, and so are the kept weeks' counts.
    expect((await expectFresh()).total).toBeGreaterThan(0);
    t.clock.t += 25 * 30 * DAY;
    expect((await purgeExpiredReports(t.services)).reports).toBeGreaterThan(0);
    expect(await expectFresh()).toMatchObject({ total: 0, cells: [] });
  });

  /** Adds n to one row of a week in `report_counts` behind the writers' back. */
  const addToWeekRow = (week: number, n: number, rowCell: string) =>
    t.services.db.kysely
      .updateTable('report_counts')
      .set({ n: sql`n + ${n}` })
      .where('territory_code', '=', CODE)
      .where('level', '=', WEEK_LEVEL)
      .where('category', '=', ALL)
      .where('bucket', '=', week)
      .where('cell', '=', rowCell)
      .execute();

  // Eight weeks (stamps, then the changed weeks' cells), and the one week of the live feed (on
  // PostgreSQL its stamp and cells in one statement).
  it.each([
    ['eight weeks', () => window],
    [
      'one week, as the live feed reads it',
      () => ({
        from: weekStart(t.clock.now() - 10 * DAY - HOUR),
        to: weekStart(t.clock.now() - 10 * DAY - HOUR) + 7 * DAY,
      }),
    ],
  ])('keeps the fold of a week until the week’s stamp changes (%s)', async (_label, windowOf) => {
    await report(6, PLACES.batignolles, 10);
    const w = windowOf();
    expect(countOf(await expectFresh(t.services, w), PLACES.batignolles)).toBe(6);
    const week = weekStart(t.clock.now() - 10 * DAY - HOUR);
    const cell = latLngToCell(PLACES.batignolles.lat, PLACES.batignolles.lon, 9);
    // A cell row changed alone (what no writer does: `Deltas` always writes the territory row)
    // leaves the stamp, so the kept fold is served: the proof that it is kept.
    await addToWeekRow(week, 10, cell);
    expect(countOf(await territoryHeatmap(t.services, CODE, w), PLACES.batignolles)).toBe(6);
    forgetReleasedWeeks(t.services);
    expect(countOf(await territoryHeatmap(t.services, CODE, w), PLACES.batignolles)).toBe(16);
    // Writing the territory row of the week, as every writer does, moves the stamp.
    await addToWeekRow(week, 10, cell);
    await addToWeekRow(week, 10, WHOLE);
    expect(countOf(await territoryHeatmap(t.services, CODE, w), PLACES.batignolles)).toBe(26);
    // And the intake's own writes.
    await report(2, PLACES.batignolles, 10);
    expect(countOf(await expectFresh(t.services, w), PLACES.batignolles)).toBe(28);
  });

  it('moves a week’s stamp with every write of its territory row, and never back after a delete', async () => {
    const db = t.services.db.kysely;
    const stamps = () => readWeekStamps(db, t.services.db.dialect, CODE, weekStarts(window));
    const past = weekStart(t.clock.now() - 10 * DAY - HOUR);
    const current = weekStart(t.clock.now());
    expect((await stamps()).size).toBe(0);
    await report(1, PLACES.batignolles, 10);
    await report(1, PLACES.batignolles, 0);
    const first = await stamps();
    expect([...first.keys()].sort()).toEqual([past, current]);
    await report(1, PLACES.ternes, 0);
    const second = await stamps();
    expect(second.get(past)).toBe(first.get(past));
    expect(second.get(current)).not.toBe(first.get(current));
    // The week's rows deleted (retention) and written again: a stamp it never had.
    await db.deleteFrom('report_counts').where('bucket', '=', current).execute();
    expect((await stamps()).has(current)).toBe(backend === 'sqlite'); // SQLite keeps a new stamp
    await report(1, PLACES.ternes, 0);
    const third = (await stamps()).get(current);
    expect(third).toBeDefined();
    expect([first.get(current), second.get(current)]).not.toContain(third);
    expect(await expectFresh()).toMatchObject({ total: 2 }); // 1 last week, 1 written after the delete
  });

  it.runIf(backend === 'sqlite')('gives every existing week a stamp when migration 0013 runs', async () => {
    await report(2, PLACES.batignolles, 10);
    await report(2, PLACES.batignolles, 17);
    await report(2, PLACES.gros_horloge, 3);
    const db = t.services.db.kysely;
    const redone = await undoMigrationsAfter(db, '0012_report_week_counts');
    expect(redone[0]).toBe('0013_report_week_stamps');
    expect(await migrateToLatest(t.services.db)).toEqual(redone);
    const weeks = await db
      .selectFrom('report_counts')
      .select(['territory_code', 'bucket'])
      .where('level', '=', WEEK_LEVEL)
      .where('category', '=', ALL)
      .where('cell', '=', WHOLE)
      .orderBy('territory_code')
      .orderBy('bucket')
      .execute();
    expect(weeks).toHaveLength(3); // two weeks in Paris 17e, one in Rouen
    const stamped = await db
      .selectFrom('report_week_stamps')
      .select(['territory_code', 'bucket'])
      .orderBy('territory_code')
      .orderBy('bucket')
      .execute();
    expect(stamped).toEqual(weeks);
    // And the triggers are back: a write moves the stamp.
    const before = await readWeekStamps(db, 'sqlite', CODE, weekStarts(window));
    await report(1, PLACES.batignolles, 10);
    const after = await readWeekStamps(db, 'sqlite', CODE, weekStarts(window));
    const week = weekStart(t.clock.now() - 10 * DAY - HOUR);
    expect(after.get(week)).not.toBe(before.get(week));
  });
});
