import type { Kysely, Migration } from 'kysely';
import { INSTANT } from '../db/columns.ts';

/**
 * Verify-first sign-up: the account is created only when the link of the e-mail is opened,
 * so that sign-up answers the same whether the address already has an account or not.
 */
const migration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run on an untyped schema
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('pending_signups')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('locale', 'text', (c) => c.notNull())
      .addColumn('expires_at', INSTANT, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('pending_signups_email').on('pending_signups').column('email').execute();
    await db.schema
      .createIndex('pending_signups_expiry')
      .on('pending_signups')
      .column('expires_at')
      .execute();
  },
};
export default migration;
