/**
 * The ciphertext trail. Appends come in batches (group commit): on SQLite one transaction
 * (one fsync per batch) in a worker thread, on PostgreSQL one `unnest` insert in one
 * transaction. (share, seq) is unique: a resent point is ignored.
 */
import { Worker } from 'node:worker_threads';
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

export interface TrailAppender {
  /** Stores a batch in one transaction; resolves once it is durable. */
  append(points: TrailPoint[], now: number): Promise<void>;
  /** Positions are coming (a sharer joined): get ready to store them (start the thread). */
  prepare(): void;
  close(): Promise<void>;
}

export function trailAppender(db: Db): TrailAppender {
  const raw = db.sqlite;
  if (raw && !raw.memory) return workerAppender(raw.name);
  if (raw) {
    // An in-memory database cannot be opened by a second connection: commits stay here.
    const insert = raw.prepare(SQLITE_INSERT);
    const last = raw.prepare(SQLITE_LAST);
    const write = raw.transaction((points: TrailPoint[], now: number) => {
      for (const p of points) insert.run(p.share, p.seq, p.c, now);
      for (const [share, seq] of highest(points)) last.run(seq, seq, now, share);
    });
    return { append: async (points, now) => void write(points, now), prepare() {}, close: async () => {} };
  }
  return { append: (points, now) => appendPostgres(db, points, now), prepare() {}, close: async () => {} };
}

/**
 * PostgreSQL: the batch as column arrays (`unnest`) in one statement, then the sessions' last
 * seq: the relay's thread only builds three arrays, whatever the batch size.
 */
async function appendPostgres(db: Db, points: TrailPoint[], now: number): Promise<void> {
  const last = highest(points);
  await db.kysely.transaction().execute(async (tx) => {
    await sql`
      INSERT INTO trail_points (share_id, seq, ciphertext, received_at)
      SELECT s, q, c, ${now}::bigint FROM unnest(${points.map((p) => p.share)}::text[],
        ${points.map((p) => p.seq)}::bigint[], ${points.map((p) => p.c)}::text[]) AS t(s, q, c)
      ON CONFLICT (share_id, seq) DO NOTHING`.execute(tx);
    await sql`
      UPDATE share_sessions SET
        last_seq = CASE WHEN last_seq IS NULL OR last_seq < t.q THEN t.q ELSE last_seq END,
        last_position_at = ${now}::bigint
      FROM unnest(${[...last.keys()]}::text[], ${[...last.values()]}::bigint[]) AS t(s, q)
      WHERE id = t.s`.execute(tx);
  });
}

/**
 * SQLite: a worker thread with its own connection commits (`trail-worker.mjs`), so the relay's
 * event loop never waits for an fsync. One batch in flight at a time (the TrailWriter's rule);
 * a worker that dies fails its batch (not acknowledged: sharers resend) and is started again.
 */
function workerAppender(path: string): TrailAppender {
  let worker: Worker | null = null;
  let nextId = 1;
  const waiting = new Map<number, { resolve(): void; reject(e: Error): void }>();
  const start = () => {
    const w = new Worker(new URL('./trail-worker.mjs', import.meta.url), {
      workerData: { path, insertSql: SQLITE_INSERT, lastSql: SQLITE_LAST },
      // Plain JavaScript: none of the parent's flags (`--import tsx` would load the TypeScript
      // loader in the thread first: the first batch durable ~500 ms after start, not ~280 ms).
      execArgv: [],
    });
    w.unref(); // referenced only while a batch is in flight
    w.on('message', (msg: { id: number; error?: string }) => {
      const pending = waiting.get(msg.id);
      waiting.delete(msg.id);
      if (waiting.size === 0) w.unref();
      if (msg.error) pending?.reject(new Error(msg.error));
      else pending?.resolve();
    });
    const gone = (error: Error) => {
      if (worker === w) worker = null;
      for (const p of waiting.values()) p.reject(error);
      waiting.clear();
    };
    w.on('error', gone);
    w.on('exit', (code) => gone(new Error(`trail worker exited (${code})`)));
    return w;
  };
  return {
    append(points, now) {
      worker ??= start();
      const id = nextId++;
      const shares = new Array<string>(points.length);
      const seqs = new Array<number>(points.length);
      const cs = new Array<string>(points.length);
      for (let i = 0; i < points.length; i++) {
        shares[i] = points[i].share;
        seqs[i] = points[i].seq;
        cs[i] = points[i].c;
      }
      const w = worker;
      return new Promise<void>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        w.ref();
        w.postMessage({ id, now, shares, seqs, cs });
      });
    },
    prepare() {
      // Started when a sharer joins, not at its first position: the thread's start (some
      // milliseconds of the event loop, then its boot) is not paid while positions flow, and
      // the first position is durable without waiting for it.
      worker ??= start();
    },
    async close() {
      const w = worker;
      worker = null;
      if (!w) return;
      const exited = new Promise((resolve) => w.once('exit', resolve));
      w.postMessage({ close: true });
      await exited;
    },
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
