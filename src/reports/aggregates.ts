/**
 * Pre-aggregates of accepted reports (tables `report_counts` and `report_hour_counts`, see
 * tables.ts): what a report adds to them, how additions are written in the transaction that
 * stores reports, and the reads of the dashboard. Reads never touch the `reports` table, so
 * a 12-month heatmap costs the same with 1,000 or 1,000,000 reports.
 *
 * `report_counts` holds one level: the UTC week, the dashboard's release block (window.ts,
 * release.ts). A heatmap must fold each week under k on its own, so counts summed over
 * longer buckets would be of no use to it; instead each instance keeps the folds of weeks
 * whose stamp did not change (`readWeekStamps`, released-weeks.ts).
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../db/database.ts';
import type { Schema } from '../db/schema.ts';
import { REPORT_CATEGORIES, type ReportCategory } from '../shared/reports.ts';
import { type WeekWindow, weekStart } from './window.ts';

type K = Kysely<Schema>;

/** `category` value of the rows that count every category. */
export const ALL = '*';
/** `cell` value of the rows that count the whole territory. */
export const WHOLE = '';
/**
 * `level` of the week rows. Levels 0..3 (buckets of 1 h, 1 d, 8 d, 64 d) existed before
 * migration 0012; the week has its own value, so a row written by an instance of an older
 * version can never be read as a week.
 */
export const WEEK_LEVEL = 4;

/**
 * The territory row of a week ('*', ''): every change of a week's rows writes it, since every
 * report counts in it. So it carries the week's stamp (released-weeks.ts): it is written
 * even by a delta that nets to zero.
 */
export const isWeekStampRow = (r: { category: string; cell: string }): boolean =>
  r.category === ALL && r.cell === WHOLE;

/** What an accepted report contributes (a subset of the stored row). */
export interface Contribution {
  territoryCode: string;
  category: string;
  cell9: string;
  hourBucket: number;
  isoWeek: string;
  hourOfDay: number;
  weekday: number;
}

type CountRow = Schema['report_counts'];
type HourRow = Schema['report_hour_counts'];

/** Additions to the aggregates, merged by key so a batch writes each row once. */
export class Deltas {
  readonly counts = new Map<string, CountRow>();
  readonly hours = new Map<string, HourRow>();

  add(c: Contribution, sign: 1 | -1 = 1): void {
    const bucket = weekStart(c.hourBucket);
    for (const category of [c.category, ALL]) {
      for (const cell of [c.cell9, WHOLE]) {
        const key = `${c.territoryCode}|${WEEK_LEVEL}|${category}|${bucket}|${cell}`;
        const row = this.counts.get(key);
        if (row) row.n += sign;
        else
          this.counts.set(key, {
            territory_code: c.territoryCode,
            level: WEEK_LEVEL,
            bucket,
            category,
            cell,
            n: sign,
          });
      }
      const key = `${c.territoryCode}|${category}|${c.hourBucket}`;
      const row = this.hours.get(key);
      if (row) row.n += sign;
      else {
        this.hours.set(key, {
          territory_code: c.territoryCode,
          category,
          hour_bucket: c.hourBucket,
          iso_week: c.isoWeek,
          hour_of_day: c.hourOfDay,
          weekday: c.weekday,
          n: sign,
        });
      }
    }
  }

  get size(): number {
    return this.counts.size + this.hours.size;
  }
}

/** Stored report rows, as read back for the `report_counts` part of their deltas. */
export interface StoredContribution {
  territory_code: string;
  category: string;
  cell9: string;
  hour_bucket: number;
}

/**
 * Adds the `report_counts` deltas of stored reports to `into` (retention, the rebuild of
 * migration 0012). Their `hours` part lacks the calendar fields: write such deltas with
 * `upsertCounts` only.
 */
export function addCountDeltas(rows: StoredContribution[], sign: 1 | -1, into: Deltas): Deltas {
  for (const r of rows) {
    const c = { territoryCode: r.territory_code, category: r.category, cell9: r.cell9 };
    into.add({ ...c, hourBucket: Number(r.hour_bucket), isoWeek: '', hourOfDay: 0, weekday: 0 }, sign);
  }
  return into;
}

const CHUNK = 1000;

/**
 * Adds the deltas to the aggregate rows (upserts). Rows are written in key order, so two
 * PostgreSQL instances committing overlapping batches lock rows in the same order.
 */
export async function applyDeltas(tx: K, deltas: Deltas): Promise<void> {
  await upsertCounts(tx, deltas);
  const hours = [...deltas.hours.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, r]) => r)
    .filter((r) => r.n !== 0);
  for (let i = 0; i < hours.length; i += CHUNK) {
    await tx
      .insertInto('report_hour_counts')
      .values(hours.slice(i, i + CHUNK))
      .onConflict((oc) =>
        oc
          .columns(['territory_code', 'category', 'hour_bucket'])
          .doUpdateSet({ n: sql`report_hour_counts.n + excluded.n` }),
      )
      .execute();
  }
}

/** The `report_counts` part of the deltas only (the rebuild of migration 0012). */
export async function upsertCounts(tx: K, deltas: Deltas): Promise<void> {
  const counts = [...deltas.counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, r]) => r)
    .filter((r) => r.n !== 0 || isWeekStampRow(r));
  for (let i = 0; i < counts.length; i += CHUNK) {
    await tx
      .insertInto('report_counts')
      .values(counts.slice(i, i + CHUNK))
      .onConflict((oc) =>
        oc
          .columns(['territory_code', 'level', 'category', 'bucket', 'cell'])
          .doUpdateSet({ n: sql`report_counts.n + excluded.n` }),
      )
      .execute();
  }
}

/** The week rows of the window: one index range read per category. */
function readWeekRows(
  db: K,
  territoryCode: string,
  window: WeekWindow,
  categories: string[],
  whole: boolean,
) {
  return db
    .selectFrom('report_counts')
    .select(['bucket', 'category', 'cell', 'n'])
    .where('territory_code', '=', territoryCode)
    .where('level', '=', WEEK_LEVEL)
    .where('category', 'in', categories)
    .where('bucket', '>=', window.from)
    .where('bucket', '<', window.to)
    .where('cell', whole ? '=' : '<>', WHOLE)
    .execute();
}

/**
 * Accepted reports per resolution-9 cell of the given weeks (all categories, or one): the
 * release blocks of the heatmap, keyed by the week's start. Weeks without reports are absent.
 */
export async function readWeekCells(
  db: K,
  territoryCode: string,
  weeks: number[],
  category?: string,
): Promise<Map<number, Map<string, number>>> {
  if (weeks.length === 0) return new Map();
  const rows = await db
    .selectFrom('report_counts')
    .select(['bucket', 'cell', 'n'])
    .where('territory_code', '=', territoryCode)
    .where('level', '=', WEEK_LEVEL)
    .where('category', '=', category ?? ALL)
    .where('bucket', 'in', weeks)
    .where('cell', '<>', WHOLE)
    .execute();
  return cellsByWeek(rows);
}

/** Cell rows (`bucket`, `cell`, `n`) as week → cell → count, counts above 0 only. */
function cellsByWeek(rows: { bucket: number; cell: string; n: number }[]): Map<number, Map<string, number>> {
  const out = new Map<number, Map<string, number>>();
  for (const row of rows) {
    const n = Number(row.n);
    if (n <= 0) continue;
    const bucket = Number(row.bucket);
    let cells = out.get(bucket);
    if (!cells) {
      cells = new Map();
      out.set(bucket, cells);
    }
    cells.set(row.cell, n);
  }
  return out;
}

/**
 * PostgreSQL: one week's stamp (as `readWeekStamps`) and its cells (as `readWeekCells`) in one
 * statement, so one round trip and one snapshot: the cells are those of that stamp. For the
 * live feed, whose one week changes with every report it is told about: a round trip fewer on
 * an event loop that is busy taking reports.
 */
export async function readWeekStampAndCells(
  db: K,
  territoryCode: string,
  week: number,
  category?: string,
): Promise<{ stamps: Map<number, string>; cells: Map<number, Map<string, number>> }> {
  const rows = await sql<{ bucket: number; stamp: string | null; cell: string; n: number }>`
    SELECT bucket, xmin::text AS stamp, cell, 0 AS n FROM report_counts
    WHERE territory_code = ${territoryCode} AND level = ${WEEK_LEVEL} AND category = ${ALL}
      AND bucket = ${week} AND cell = ${WHOLE}
    UNION ALL
    SELECT bucket, NULL, cell, n FROM report_counts
    WHERE territory_code = ${territoryCode} AND level = ${WEEK_LEVEL} AND category = ${category ?? ALL}
      AND bucket = ${week} AND cell <> ${WHOLE}`.execute(db);
  const stamps = new Map<number, string>();
  for (const r of rows.rows) if (r.stamp !== null) stamps.set(Number(r.bucket), r.stamp);
  return { stamps, cells: cellsByWeek(rows.rows.filter((r) => r.stamp === null)) };
}

/**
 * The stamp of each given week of a territory that has rows: it changes whenever any count of
 * the week changes, in the same transaction, whoever writes it (released-weeks.ts). SQLite:
 * `report_week_stamps`, kept by triggers (migration 0013). PostgreSQL: the `xmin` of the
 * week's territory row, the transaction that wrote its current version.
 */
export async function readWeekStamps(
  db: K,
  dialect: Dialect,
  territoryCode: string,
  weeks: number[],
): Promise<Map<number, string>> {
  if (weeks.length === 0) return new Map();
  const rows =
    dialect === 'postgres'
      ? await db
          .selectFrom('report_counts')
          .select(['bucket', sql<string>`xmin::text`.as('stamp')])
          .where('territory_code', '=', territoryCode)
          .where('level', '=', WEEK_LEVEL)
          .where('category', '=', ALL)
          .where('bucket', 'in', weeks)
          .where('cell', '=', WHOLE)
          .execute()
      : await db
          .selectFrom('report_week_stamps')
          .select(['bucket', sql<string>`cast(stamp as text)`.as('stamp')])
          .where('territory_code', '=', territoryCode)
          .where('bucket', 'in', weeks)
          .execute();
  return new Map(rows.map((r) => [Number(r.bucket), r.stamp]));
}

/**
 * Accepted reports of the whole territory per week in the window: the week's total and its
 * counts per category (one category only when filtered). Raw counts, for release per week.
 */
export async function readTerritoryCounts(
  db: K,
  territoryCode: string,
  window: WeekWindow,
  category?: string,
): Promise<{ weeks: Map<number, number>; categories: Map<number, Map<string, number>> }> {
  const keys = category ? [category] : [...REPORT_CATEGORIES];
  const rows = await readWeekRows(db, territoryCode, window, [...keys, ALL], true);
  const weeks = new Map<number, number>();
  const categories = new Map<number, Map<string, number>>();
  for (const row of rows) {
    const week = Number(row.bucket);
    const n = Number(row.n);
    if (row.category === ALL) {
      if (!category) weeks.set(week, n);
      continue;
    }
    if (!categories.has(week)) categories.set(week, new Map());
    categories.get(week)?.set(row.category, n);
    if (category) weeks.set(week, n);
  }
  return { weeks, categories };
}

/**
 * Accepted reports of the whole territory per UTC week, then per local weekday and local hour
 * of day, in the window: the territory as a whole, like its total (rule 3). Raw counts.
 */
export async function readHourWeekdayCounts(
  db: K,
  territoryCode: string,
  window: WeekWindow,
  category?: string,
): Promise<Map<number, { weekday: number; hour: number; n: number }[]>> {
  const rows = await db
    .selectFrom('report_hour_counts')
    .select(['hour_bucket', 'weekday', 'hour_of_day', 'n'])
    .where('territory_code', '=', territoryCode)
    .where('category', '=', category ?? ALL)
    .where('hour_bucket', '>=', window.from)
    .where('hour_bucket', '<', window.to)
    .execute();
  const weeks = new Map<number, { weekday: number; hour: number; n: number }[]>();
  for (const r of rows) {
    const week = weekStart(Number(r.hour_bucket));
    if (!weeks.has(week)) weeks.set(week, []);
    weeks.get(week)?.push({ weekday: r.weekday, hour: r.hour_of_day, n: Number(r.n) });
  }
  return weeks;
}

/** Held reports in the window: counted in the total, shown nowhere until accepted. */
export async function readHeldCount(
  db: K,
  territoryCode: string,
  window: WeekWindow,
  category?: string,
): Promise<number> {
  let q = db
    .selectFrom('reports')
    .select(sql<number>`count(*)`.as('n'))
    .where('status', '=', 'held')
    .where('territory_code', '=', territoryCode)
    .where('hour_bucket', '>=', window.from)
    .where('hour_bucket', '<', window.to);
  if (category) q = q.where('category', '=', category as ReportCategory);
  const row = await q.executeTakeFirst();
  return Number(row?.n ?? 0);
}
