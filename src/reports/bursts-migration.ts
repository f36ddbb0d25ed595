/**
 * Burst counters per (cell, hour) (bursts.ts), filled from every report already stored (the
 * retention job forgets the hours past the window on its next run: the migration does not read
 * a clock). No account, IP or device: a cell, an hour, a count.
 */
import { type Kysely, type Migration, sql } from 'kysely';

const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('report_bursts')
      .addColumn('cell9', 'text', (c) => c.notNull())
      .addColumn('hour_bucket', 'bigint', (c) => c.notNull())
      .addColumn('n', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('report_bursts_pk', ['cell9', 'hour_bucket'])
      .execute();
    await db.schema.createIndex('report_bursts_hour').on('report_bursts').column('hour_bucket').execute();
    await sql`
      INSERT INTO report_bursts (cell9, hour_bucket, n)
      SELECT cell9, hour_bucket, count(*) FROM reports GROUP BY cell9, hour_bucket`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('report_bursts').execute();
  },
};

export default migration;
