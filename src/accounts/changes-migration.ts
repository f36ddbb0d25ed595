/**
 * `account_changes`: on SQLite, triggers note every change to who a session belongs to or what
 * its user may do (users, roles, staff territories, sessions ended or altered), whichever process
 * or connection commits it. The session cache (session-cache.ts) reads the notes to forget the
 * accounts concerned: a change made by the `havre` CLI is seen at once, while the commits of
 * report batches and trail points by worker threads no longer empty the cache (as `PRAGMA
 * data_version`, bumped by any other connection's commit, did).
 *
 * A note holds no account id (erasure leaves none behind): only the bucket of the account, the
 * first two characters of its random id (one of 256), with the sequence number of its last
 * change. On PostgreSQL the table stays empty (instances tell each other on the bus).
 */
import { type Kysely, type Migration, SqliteAdapter, sql } from 'kysely';

/** [table, trigger event, the changed row's account]. */
const NOTED: [string, string, string][] = [
  ['users', 'UPDATE', 'OLD.id'],
  ['users', 'DELETE', 'OLD.id'],
  ['user_roles', 'INSERT', 'NEW.user_id'],
  ['user_roles', 'UPDATE', 'OLD.user_id'],
  ['user_roles', 'DELETE', 'OLD.user_id'],
  ['staff_territories', 'INSERT', 'NEW.user_id'],
  ['staff_territories', 'UPDATE', 'OLD.user_id'],
  ['staff_territories', 'DELETE', 'OLD.user_id'],
  ['sessions', 'DELETE', 'OLD.user_id'],
  // Not `last_seen_at`, touched once a minute by the sessions in use.
  ['sessions', 'UPDATE OF token_hash, user_id, expires_at', 'OLD.user_id'],
];

/** Length of the id prefix that names a bucket. */
export const ACCOUNT_BUCKET_CHARS = 2;

const migration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run on an untyped schema
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('account_changes')
      .addColumn('bucket', 'text', (c) => c.primaryKey())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('account_changes_seq').on('account_changes').column('seq').execute();
    if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
    for (const [table, event, account] of NOTED) {
      const name = `account_changes_${table}_${event.split(' ')[0].toLowerCase()}`;
      await sql
        .raw(
          `CREATE TRIGGER ${name} AFTER ${event} ON ${table} BEGIN ` +
            `INSERT OR REPLACE INTO account_changes (bucket, seq) VALUES (substr(${account}, 1, ${ACCOUNT_BUCKET_CHARS}), ` +
            '(SELECT coalesce(max(seq), 0) + 1 FROM account_changes)); END',
        )
        .execute(db);
    }
  },
};
export default migration;
