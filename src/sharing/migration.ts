import { type ColumnDefinitionBuilder, type Kysely, type Migration, sql } from 'kysely';
import { ID, INSTANT } from '../db/columns.ts';

const migration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run on an untyped schema
  async up(db: Kysely<any>) {
    const user = (c: ColumnDefinitionBuilder) => c.notNull().references('users.id').onDelete('cascade');
    const share = (c: ColumnDefinitionBuilder) =>
      c.notNull().references('share_sessions.id').onDelete('cascade');

    await db.schema
      .createTable('devices')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('user_id', ID, user)
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('created_at', INSTANT, (c) => c.notNull())
      .addColumn('last_seen_at', INSTANT, (c) => c.notNull())
      .addColumn('revoked_at', INSTANT)
      .execute();
    await db.schema.createIndex('devices_user').on('devices').column('user_id').execute();

    await db.schema
      .createTable('contact_invites')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('owner_id', ID, user)
      .addColumn('created_at', INSTANT, (c) => c.notNull())
      .addColumn('expires_at', INSTANT, (c) => c.notNull())
      .addColumn('used_at', INSTANT)
      .execute();
    await db.schema.createIndex('contact_invites_owner').on('contact_invites').column('owner_id').execute();

    await db.schema
      .createTable('contacts')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('owner_id', ID, user)
      .addColumn('contact_id', ID, user)
      .addColumn('created_at', INSTANT, (c) => c.notNull())
      .addColumn('ended_at', INSTANT)
      .execute();
    // At most one live relationship per direction (both engines support partial indexes).
    await db.schema
      .createIndex('contacts_live_pair')
      .on('contacts')
      .columns(['owner_id', 'contact_id'])
      .unique()
      .where(sql.ref('ended_at'), 'is', null)
      .execute();
    await db.schema.createIndex('contacts_contact').on('contacts').column('contact_id').execute();

    await db.schema
      .createTable('share_sessions')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('owner_id', ID, user)
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('visibility', 'text', (c) => c.notNull())
      .addColumn('chosen_visibility', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('meta', 'text')
      .addColumn('expected_arrival', INSTANT)
      .addColumn('until', INSTANT)
      .addColumn('still_minutes', 'integer', (c) => c.notNull())
      .addColumn('created_at', INSTANT, (c) => c.notNull())
      .addColumn('ends_at', INSTANT, (c) => c.notNull())
      .addColumn('ended_at', INSTANT)
      .addColumn('end_reason', 'text')
      .addColumn('alert_reason', 'text')
      .addColumn('last_seq', INSTANT)
      .addColumn('last_position_at', INSTANT)
      .execute();
    await db.schema
      .createIndex('share_sessions_owner')
      .on('share_sessions')
      .columns(['owner_id', 'status'])
      .execute();
    await db.schema
      .createIndex('share_sessions_ends')
      .on('share_sessions')
      .columns(['status', 'ends_at'])
      .execute();

    await db.schema
      .createTable('share_recipients')
      .addColumn('share_id', ID, share)
      .addColumn('device_id', ID, (c) => c.notNull().references('devices.id').onDelete('cascade'))
      .addColumn('user_id', ID, user)
      .addColumn('wrapped_key', 'text', (c) => c.notNull())
      .addColumn('created_at', INSTANT, (c) => c.notNull())
      .addPrimaryKeyConstraint('share_recipients_pk', ['share_id', 'device_id'])
      .execute();
    await db.schema.createIndex('share_recipients_user').on('share_recipients').column('user_id').execute();

    await db.schema
      .createTable('guest_links')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('share_id', ID, share)
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', INSTANT, (c) => c.notNull())
      .addColumn('expires_at', INSTANT, (c) => c.notNull())
      .addColumn('revoked_at', INSTANT)
      .execute();

    await db.schema
      .createTable('trail_points')
      .addColumn('share_id', ID, share)
      .addColumn('seq', INSTANT, (c) => c.notNull())
      .addColumn('ciphertext', 'text', (c) => c.notNull())
      .addColumn('received_at', INSTANT, (c) => c.notNull())
      .addPrimaryKeyConstraint('trail_points_pk', ['share_id', 'seq'])
      .execute();

    await db.schema
      .createTable('checkin_timers')
      .addColumn('share_id', ID, (c) => c.primaryKey().references('share_sessions.id').onDelete('cascade'))
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('due_at', INSTANT)
      .addColumn('reason', 'text')
      .addColumn('asked_at', INSTANT)
      .addColumn('fired_at', INSTANT)
      .addColumn('handled_at', INSTANT)
      .execute();
    await db.schema
      .createIndex('checkin_timers_due')
      .on('checkin_timers')
      .columns(['state', 'due_at'])
      .execute();

    await db.schema
      .createTable('sos_events')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('user_id', ID, user)
      .addColumn('share_id', ID, share)
      .addColumn('created_at', INSTANT, (c) => c.notNull())
      .addColumn('cancelled_at', INSTANT)
      .addColumn('cancel_method', 'text')
      .execute();

    await db.schema
      .createTable('sos_pins')
      .addColumn('user_id', ID, (c) => c.primaryKey().references('users.id').onDelete('cascade'))
      .addColumn('pin_hash', 'text', (c) => c.notNull())
      .addColumn('updated_at', INSTANT, (c) => c.notNull())
      .execute();
  },
};
export default migration;
