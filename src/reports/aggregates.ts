/**
 * Pre-aggregates of accepted reports (tables `report_counts` and `report_hour_counts`, see
 * tables.ts): what a report adds to them, how additions are written in the transaction that
 * stores reports, and the reads of the dashboard. Reads never touch the `reports` table, so
 * a 12-month heatmap costs the same with 1,000 or 1,000,000 reports.
 */
import { type Kysely, sql } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { REPORT_CATEGORIES, type ReportCategory } from '../shared/reports.ts';
import { bucketStart, decomposeWindow, type HourWindow, LEVEL_HOURS, type Level } from './window.ts';

type K = Kysely<Schema>;

/** `category` value of the rows that count every category. */
export const ALL = '*';
/** `cell` value of the rows that count the whole territory. */
export const WHOLE = '';

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
    for (const category of [c.category, ALL]) {
      for (let level = 0; level < LEVEL_HOURS.length; level++) {
        const bucket = bucketStart(c.hourBucket, level as Level);
        for (const cell of [c.cell9, WHOLE]) {
          const key = `${c.territoryCode}|${level}|${category}|${bucket}|${cell}`;
          const row = this.counts.get(key);
          if (row) row.n += sign;
          else
            this.counts.set(key, { territory_code: c.territoryCode, level, bucket, category, cell, n: sign });
        }
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

const CHUNK = 1000;

/**
 * Adds the deltas to the aggregate rows (upserts). Rows are written in key order, so two
 * PostgreSQL instances committing overlapping batches lock rows in the same order.
 */
export async function applyDeltas(tx: K, deltas: Deltas): Promise<void> {
  const counts = [...deltas.counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, r]) => r)
    .filter((r) => r.n !== 0);
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

/**
 * Sums `report_counts` over the window, one index range read per level range. Separate
 * small queries rather than one UNION ALL: PostgreSQL plans a parallel append for the union,
 * whose worker start-up costs more than the ~2,000 rows read (measured on this VM).
 */
async function sumWindow(
  db: K,
  territoryCode: string,
  window: HourWindow,
  categories: string[],
  by: 'cell' | 'category',
): Promise<Map<string, number>> {
  const whole = by === 'category';
  const parts = await Promise.all(
    decomposeWindow(window).map((r) =>
      db
        .selectFrom('report_counts')
        .select([by, 'n'])
        .where('territory_code', '=', territoryCode)
        .where('level', '=', r.level)
        .where('category', 'in', categories)
        .where('bucket', '>=', r.start)
        .where('bucket', '<', r.end)
        .where('cell', whole ? '=' : '<>', WHOLE)
        .execute(),
    ),
  );
  const out = new Map<string, number>();
  for (const rows of parts) {
    for (const row of rows as { cell?: string; category?: string; n: number }[]) {
      const key = (by === 'cell' ? row.cell : row.category) as string;
      out.set(key, (out.get(key) ?? 0) + Number(row.n));
    }
  }
  for (const [key, n] of out) if (n <= 0) out.delete(key);
  return out;
}

/** Accepted reports per resolution-9 cell in the window (all categories, or one). */
export function readCellCounts(
  db: K,
  territoryCode: string,
  window: HourWindow,
  category?: string,
): Promise<Map<string, number>> {
  return sumWindow(db, territoryCode, window, [category ?? ALL], 'cell');
}

/** Accepted reports per category in the window (whole territory). */
export function readCategoryCounts(
  db: K,
  territoryCode: string,
  window: HourWindow,
  category?: string,
): Promise<Map<string, number>> {
  return sumWindow(db, territoryCode, window, category ? [category] : [...REPORT_CATEGORIES], 'category');
}

/** Accepted reports per local ISO week and per (weekday, hour of day) in the window. */
export async function readCalendarCounts(
  db: K,
  territoryCode: string,
  window: HourWindow,
  category?: string,
) {
  const base = db
    .selectFrom('report_hour_counts')
    .where('territory_code', '=', territoryCode)
    .where('category', '=', category ?? ALL)
    .where('hour_bucket', '>=', window.from)
    .where('hour_bucket', '<', window.to);
  const [weeks, hours] = await Promise.all([
    base
      .select(['iso_week', sql<number>`sum(n)`.as('n')])
      .groupBy('iso_week')
      .execute(),
    base
      .select(['weekday', 'hour_of_day', sql<number>`sum(n)`.as('n')])
      .groupBy(['weekday', 'hour_of_day'])
      .execute(),
  ]);
  return {
    weeks: new Map(weeks.map((r) => [r.iso_week, Number(r.n)])),
    hours: new Map(hours.map((r) => [`${r.weekday}|${r.hour_of_day}`, Number(r.n)])),
  };
}

/** Held reports in the window: counted in the total, shown nowhere until accepted. */
export async function readHeldCount(
  db: K,
  territoryCode: string,
  window: HourWindow,
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
