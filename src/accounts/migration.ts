import type { Kysely, Migration } from 'kysely';
import { ID, INSTANT } from '../db/columns.ts';

const migration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run on an untyped schema
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('users')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('email_verified_at', INSTANT)
      .addColumn('locale', 'text', (c) => c.notNull().defaultTo('fr'))
      .addColumn('created_at', INSTANT, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('user_roles')
      .addColumn('user_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('role', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('user_roles_pk', ['user_id', 'role'])
      .execute();
    await db.schema
      .createTable('staff_territories')
      .addColumn('user_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('territory_code', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('staff_territories_pk', ['user_id', 'territory_code'])
      .execute();
    await db.schema
      .createTable('sessions')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', INSTANT, (c) => c.notNull())
      .addColumn('expires_at', INSTANT, (c) => c.notNull())
      .addColumn('last_seen_at', INSTANT, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
    await db.schema
      .createTable('email_tokens')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('expires_at', INSTANT, (c) => c.notNull())
      .addColumn('used_at', INSTANT)
      .execute();
  },
};
export default migration;
