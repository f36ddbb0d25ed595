/**
 * Idempotency keys of reports (see idempotency.ts): a hashed key, the id of the report it made
 * and the UTC day it arrived, purged after two days. No account, IP, device or time of day.
 */
import type { Kysely, Migration } from 'kysely';

const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('report_idempotency')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('report_id', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('report_idempotency_day').on('report_idempotency').column('day').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('report_idempotency').execute();
  },
};

export default migration;
