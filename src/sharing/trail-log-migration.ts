/**
 * Migration 0016: the trail's append log (trail-store.ts). On SQLite, points are committed
 * here first, in arrival order, and moved into `trail_points` in bulk, sorted by session:
 * inserting each point straight into trail_points' (share_id, seq) index wrote one 4 KiB index
 * page per point (a batch's points all belong to different sessions, so each lands on its own
 * page), ~20 µs of CPU and a page of disk writes per position. No index on purpose: the log is
 * written in order and only ever read whole (the move, a purge, an export). Ciphertext only;
 * a session's rows go with it (ON DELETE CASCADE: erasure). On PostgreSQL it stays empty: the
 * trail is written to trail_points directly (row-level WAL records, no page per point).
 */
import type { Kysely, Migration } from 'kysely';
import { ID, INSTANT } from '../db/columns.ts';

const migration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run on an untyped schema
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('trail_log')
      .addColumn('share_id', ID, (c) => c.notNull().references('share_sessions.id').onDelete('cascade'))
      .addColumn('seq', INSTANT, (c) => c.notNull())
      .addColumn('ciphertext', 'text', (c) => c.notNull())
      .addColumn('received_at', INSTANT, (c) => c.notNull())
      .execute();
  },
  // biome-ignore lint/suspicious/noExplicitAny: migrations run on an untyped schema
  async down(db: Kysely<any>) {
    await db.schema.dropTable('trail_log').execute();
  },
};

export default migration;
