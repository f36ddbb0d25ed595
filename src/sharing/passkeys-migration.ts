/**
 * Migration 0014: passkeys that confirm cancelling an SOS (passkeys.ts), and the single-use
 * WebAuthn challenges they sign. Both belong to the account (ON DELETE CASCADE: erasure).
 */
import type { Kysely, Migration } from 'kysely';
import { ID, INSTANT } from '../db/columns.ts';

const migration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run on an untyped schema
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('sos_passkeys')
      // The credential id chosen by the authenticator (base64url): unique among all accounts.
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
      // COSE public key (base64url): checks signatures, opens nothing.
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('counter', 'bigint', (c) => c.notNull())
      .addColumn('transports', 'text')
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('created_at', INSTANT, (c) => c.notNull())
      .addColumn('last_used_at', INSTANT)
      .execute();
    await db.schema.createIndex('sos_passkeys_user').on('sos_passkeys').column('user_id').execute();

    await db.schema
      .createTable('webauthn_challenges')
      .addColumn('challenge', 'text', (c) => c.primaryKey())
      .addColumn('user_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('expires_at', INSTANT, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('webauthn_challenges_expiry')
      .on('webauthn_challenges')
      .column('expires_at')
      .execute();
  },
  // biome-ignore lint/suspicious/noExplicitAny: migrations run on an untyped schema
  async down(db: Kysely<any>) {
    await db.schema.dropTable('webauthn_challenges').execute();
    await db.schema.dropTable('sos_passkeys').execute();
  },
};
export default migration;
