import { type Kysely, type Migration, SqliteAdapter, sql } from 'kysely';
import { FLAG, ID, INSTANT, JSON_TEXT, REAL } from '../db/columns.ts';

const migration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run on an untyped schema
  async up(db: Kysely<any>) {
    // On SQLite the aggregate tables are clustered by their key (WITHOUT ROWID): a heatmap
    // reads contiguous key ranges and never jumps to a separate table b-tree.
    const clustered = db.getExecutor().adapter instanceof SqliteAdapter ? sql`without rowid` : sql``;

    await db.schema
      .createTable('reports')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('territory_code', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('cell10', 'text', (c) => c.notNull())
      .addColumn('cell9', 'text', (c) => c.notNull())
      .addColumn('cell8', 'text', (c) => c.notNull())
      .addColumn('cell7', 'text', (c) => c.notNull())
      .addColumn('hour_bucket', INSTANT, (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('iso_week', 'text', (c) => c.notNull())
      .addColumn('hour_of_day', 'integer', (c) => c.notNull())
      .addColumn('weekday', 'integer', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('synthetic', FLAG, (c) => c.notNull().defaultTo(0))
      .execute();
    // Burst detection and "near me now" (cell and hour), moderation queue, retention.
    await db.schema
      .createIndex('reports_cell_hour')
      .on('reports')
      .columns(['cell9', 'hour_bucket'])
      .execute();
    await db.schema
      .createIndex('reports_status')
      .on('reports')
      .columns(['status', 'territory_code', 'hour_bucket'])
      .execute();
    await db.schema.createIndex('reports_hour').on('reports').column('hour_bucket').execute();
    await db.schema
      .createIndex('reports_territory_day')
      .on('reports')
      .columns(['territory_code', 'day'])
      .execute();

    await db.schema
      .createTable('report_counts')
      .addColumn('territory_code', 'text', (c) => c.notNull())
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('bucket', INSTANT, (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('cell', 'text', (c) => c.notNull())
      .addColumn('n', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('report_counts_pk', ['territory_code', 'level', 'category', 'bucket', 'cell'])
      .modifyEnd(clustered)
      .execute();

    await db.schema
      .createTable('report_hour_counts')
      .addColumn('territory_code', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('hour_bucket', INSTANT, (c) => c.notNull())
      .addColumn('iso_week', 'text', (c) => c.notNull())
      .addColumn('hour_of_day', 'integer', (c) => c.notNull())
      .addColumn('weekday', 'integer', (c) => c.notNull())
      .addColumn('n', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('report_hour_counts_pk', ['territory_code', 'category', 'hour_bucket'])
      .modifyEnd(clustered)
      .execute();

    await db.schema
      .createTable('report_quota')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('n', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('report_quota_day').on('report_quota').column('day').execute();

    await db.schema
      .createTable('city_actions')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('territory_code', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('area_kind', 'text', (c) => c.notNull())
      .addColumn('area', JSON_TEXT, (c) => c.notNull())
      .addColumn('geometry', JSON_TEXT, (c) => c.notNull())
      .addColumn('min_lon', REAL, (c) => c.notNull())
      .addColumn('min_lat', REAL, (c) => c.notNull())
      .addColumn('max_lon', REAL, (c) => c.notNull())
      .addColumn('max_lat', REAL, (c) => c.notNull())
      .addColumn('author_id', ID, (c) => c.references('users.id').onDelete('set null'))
      .addColumn('created_at', INSTANT, (c) => c.notNull())
      .addColumn('updated_at', INSTANT, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('city_actions_bbox')
      .on('city_actions')
      .columns(['min_lon', 'max_lon', 'min_lat', 'max_lat'])
      .execute();
    await db.schema
      .createIndex('city_actions_territory')
      .on('city_actions')
      .column('territory_code')
      .execute();
    await db.schema.createIndex('city_actions_author').on('city_actions').column('author_id').execute();
  },
};
export default migration;
