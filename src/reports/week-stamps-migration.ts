/**
 * Migration 0013: `report_week_stamps`, the SQLite half of the week stamps that let an
 * instance keep the released folds of weeks that did not change (released-weeks.ts).
 *
 * On SQLite, triggers draw a new random stamp for a (territory, week) whenever the week's
 * territory row of `report_counts` (level 4, category '*', cell '') is inserted, updated or
 * deleted, in the writer's own transaction, whichever connection or process commits it: the
 * intake's worker thread, the `havre` CLI, an instance of an older version. Every change of a
 * week's rows writes that row (`Deltas` adds every report to it). Random rather than a counter:
 * a week whose rows are deleted (retention) and written again can never come back to a stamp
 * it had before. Existing weeks get a stamp here.
 *
 * On PostgreSQL the table exists (the same schema on both engines, `havre db copy`) and stays
 * empty: the territory row's `xmin` is the stamp, changed by every transaction that writes
 * the row, at no cost.
 */
import { type Kysely, type Migration, SqliteAdapter, sql } from 'kysely';
import { INSTANT } from '../db/columns.ts';

/** The week's territory row, as a trigger condition on NEW or OLD. */
const weekRow = (row: 'NEW' | 'OLD') => `${row}.level = 4 AND ${row}.category = '*' AND ${row}.cell = ''`;
/** 53 random bits: a safe integer in JavaScript (better-sqlite3 reads numbers) and in copies. */
const RANDOM = '(random() >> 11)';
/**
 * A new stamp for the row's week. An UPDATE, then an INSERT only where none exists: neither
 * can conflict, so the conflict clause of the statement that fired the trigger (which
 * SQLite lets override the trigger's own, e.g. an outer INSERT OR IGNORE) never applies.
 */
const stamp = (row: 'NEW' | 'OLD') => {
  const week = `territory_code = ${row}.territory_code AND bucket = ${row}.bucket`;
  return (
    `UPDATE report_week_stamps SET stamp = ${RANDOM} WHERE ${week}; ` +
    'INSERT INTO report_week_stamps (territory_code, bucket, stamp) ' +
    `SELECT ${row}.territory_code, ${row}.bucket, ${RANDOM} ` +
    `WHERE NOT EXISTS (SELECT 1 FROM report_week_stamps WHERE ${week})`
  );
};

const EVENTS = ['insert', 'update', 'delete'] as const;

const migration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run on an untyped schema
  async up(db: Kysely<any>) {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    await db.schema
      .createTable('report_week_stamps')
      .addColumn('territory_code', 'text', (c) => c.notNull())
      .addColumn('bucket', INSTANT, (c) => c.notNull())
      .addColumn('stamp', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('report_week_stamps_pk', ['territory_code', 'bucket'])
      .modifyEnd(sqlite ? sql`without rowid` : sql``)
      .execute();
    if (!sqlite) return;
    for (const event of EVENTS) {
      const row = event === 'delete' ? 'OLD' : 'NEW';
      await sql
        .raw(
          `CREATE TRIGGER report_week_stamps_${event} AFTER ${event.toUpperCase()} ON report_counts ` +
            `WHEN ${weekRow(row)} BEGIN ${stamp(row)}; END`,
        )
        .execute(db);
    }
    await sql
      .raw(
        `INSERT INTO report_week_stamps (territory_code, bucket, stamp) SELECT territory_code, bucket, ${RANDOM} ` +
          `FROM report_counts WHERE ${weekRow('NEW').replaceAll('NEW.', '')}`,
      )
      .execute(db);
  },
  // biome-ignore lint/suspicious/noExplicitAny: migrations run on an untyped schema
  async down(db: Kysely<any>) {
    if (db.getExecutor().adapter instanceof SqliteAdapter)
      for (const event of EVENTS) await sql.raw(`DROP TRIGGER report_week_stamps_${event}`).execute(db);
    await db.schema.dropTable('report_week_stamps').execute();
  },
};
export default migration;
