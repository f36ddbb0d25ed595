/**
 * The ciphertext trail. Appends come in batches (group commit): on SQLite through one
 * prepared statement in one synchronous transaction (one fsync per batch), on PostgreSQL
 * as multi-row inserts in one transaction. (share, seq) is unique: a resent point is ignored.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

export interface TrailPoint {
  share: string;
  seq: number;
  c: string;
}

const SQLITE_INSERT =
  'INSERT INTO trail_points (share_id, seq, ciphertext, received_at) VALUES (?, ?, ?, ?) ON CONFLICT (share_id, seq) DO NOTHING';
// Portable "greatest": keeps the highest sequence number stored.
const SQLITE_LAST =
  'UPDATE share_sessions SET last_seq = CASE WHEN last_seq IS NULL OR last_seq < ? THEN ? ELSE last_seq END, last_position_at = ? WHERE id = ?';

/** Highest seq per share of a batch. */
function highest(points: TrailPoint[]): Map<string, number> {
  const max = new Map<string, number>();
  for (const p of points) {
    const m = max.get(p.share);
    if (m === undefined || p.seq > m) max.set(p.share, p.seq);
  }
  return max;
}

export function trailAppender(db: Db): (points: TrailPoint[], now: number) => Promise<void> {
  const raw = db.sqlite;
  if (raw) {
    const insert = raw.prepare(SQLITE_INSERT);
    const last = raw.prepare(SQLITE_LAST);
    const write = raw.transaction((points: TrailPoint[], now: number) => {
      for (const p of points) insert.run(p.share, p.seq, p.c, now);
      for (const [share, seq] of highest(points)) last.run(seq, seq, now, share);
    });
    return async (points, now) => {
      write(points, now);
    };
  }
  return async (points, now) => {
    await db.kysely.transaction().execute(async (tx) => {
      for (let i = 0; i < points.length; i += 1000) {
        await tx
          .insertInto('trail_points')
          .values(
            points
              .slice(i, i + 1000)
              .map((p) => ({ share_id: p.share, seq: p.seq, ciphertext: p.c, received_at: now })),
          )
          .onConflict((oc) => oc.columns(['share_id', 'seq']).doNothing())
          .execute();
      }
      for (const [share, seq] of highest(points)) {
        await tx
          .updateTable('share_sessions')
          .set({
            last_seq: sql<number>`CASE WHEN last_seq IS NULL OR last_seq < ${seq} THEN ${seq} ELSE last_seq END`,
            last_position_at: now,
          })
          .where('id', '=', share)
          .execute();
      }
    });
  };
}

/** Points after `seq`, in order, at most `limit`. */
export function trailSince(db: Db, share: string, seq: number, limit = 5_000) {
  return db.kysely
    .selectFrom('trail_points')
    .select(['seq', 'ciphertext'])
    .where('share_id', '=', share)
    .where('seq', '>', seq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}
