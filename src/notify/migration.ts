import type { Kysely, Migration } from 'kysely';
import { ID, INSTANT, JSON_TEXT } from '../db/columns.ts';

const migration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run on an untyped schema
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('outbox')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('user_id', ID, (c) => c.references('users.id').onDelete('cascade'))
      .addColumn('recipient', 'text', (c) => c.notNull())
      .addColumn('payload', JSON_TEXT, (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', INSTANT, (c) => c.notNull())
      .addColumn('sent_at', INSTANT)
      .addColumn('last_error', 'text')
      .addColumn('created_at', INSTANT, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('outbox_due').on('outbox').columns(['sent_at', 'next_attempt_at']).execute();
  },
};
export default migration;
