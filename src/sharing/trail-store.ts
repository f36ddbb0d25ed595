/**
 * The ciphertext trail. Appends come in batches (group commit): on PostgreSQL one `unnest`
 * insert in one transaction; on SQLite one transaction (one fsync per batch) in a worker
 * thread, into an append log (`trail_log`) that is moved into `trail_points` in bulk, sorted
 * by session (see `workerAppender`). (share_id, seq) is unique in trail_points: a resent point
 * is ignored.
 */
import { Worker } from 'node:worker_threads';
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Schema } from '../db/schema.ts';

export interface TrailPoint {
  share: string;
  seq: number;
  c: string;
}

const SQLITE_INSERT =
  'INSERT INTO trail_points (share_id, seq, ciphertext, received_at) VALUES (?, ?, ?, ?) ON CONFLICT (share_id, seq) DO NOTHING';
const SQLITE_LOG = 'INSERT INTO trail_log (share_id, seq, ciphertext, received_at) VALUES (?, ?, ?, ?)';
/**
 * The log into the trail, sorted by session, in one transaction: at start, before anything else
 * runs (the worker moves in short transactions, `trail-worker.mjs`).
 */
const SQLITE_RECOVER = [
  `INSERT INTO trail_points (share_id, seq, ciphertext, received_at)
   SELECT share_id, seq, ciphertext, received_at FROM trail_log WHERE true ORDER BY share_id, seq
   ON CONFLICT (share_id, seq) DO NOTHING`,
  'DELETE FROM trail_log',
];
// Portable "greatest": keeps the highest sequence number stored.
const SQLITE_LAST =
  'UPDATE share_sessions SET last_seq = CASE WHEN last_seq IS NULL OR last_seq < ? THEN ? ELSE last_seq END, last_position_at = ? WHERE id = ?';
/**
 * Points logged before a move: a move costs about one index page per session with new points, so
 * a larger log means fewer pages per point. 5,000 sessions, batches of 200, 262,144 points, same
 * run, twice: 26.5 and 29.2 µs of CPU per point written straight into trail_points; 20.3 and
 * 16.9 through the log (moved in 512-row transactions, which hold the write lock no longer than
 * a batch did: p99 ~20 ms in both). Also the bound of the points kept in memory (~6 MB).
 */
const MOVE_AT = 16_384;

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
  /**
   * Durable points of `share` after `afterSeq` that trail_points may not hold yet (SQLite's
   * log). Read it before trail_points: a point leaves it only once it is there.
   */
  recent(share: string, afterSeq: number): TrailPoint[];
  /** Positions are coming (a sharer joined): get ready to store them (start the thread). */
  prepare(): void;
  close(): Promise<void>;
}

/** `moveAt`: points in the log before a move (MOVE_AT; tests take a few). */
export function trailAppender(db: Db, { moveAt = MOVE_AT } = {}): TrailAppender {
  const raw = db.sqlite;
  const none = () => [];
  if (raw && !raw.memory) {
    // What a crash left in the log is in trail_points before any socket asks for a backlog.
    raw.transaction(() => {
      for (const statement of SQLITE_RECOVER) raw.prepare(statement).run();
    })();
    return workerAppender(raw.name, moveAt);
  }
  if (raw) {
    // An in-memory database cannot be opened by a second connection: commits stay here.
    const insert = raw.prepare(SQLITE_INSERT);
    const last = raw.prepare(SQLITE_LAST);
    const write = raw.transaction((points: TrailPoint[], now: number) => {
      for (const p of points) insert.run(p.share, p.seq, p.c, now);
      for (const [share, seq] of highest(points)) last.run(seq, seq, now, share);
    });
    return {
      append: async (points, now) => void write(points, now),
      recent: none,
      prepare() {},
      close: async () => {},
    };
  }
  return {
    append: (points, now) => appendPostgres(db, points, now),
    recent: none,
    prepare() {},
    close: async () => {},
  };
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

/** Points of the log by session, as kept in memory for `recent`. */
type Logged = Map<string, { seq: number; c: string }[]>;

/**
 * SQLite: a worker thread with its own connection commits (`trail-worker.mjs`), so the relay's
 * event loop never waits for an fsync. One batch in flight at a time (the TrailWriter's rule);
 * a worker that dies fails its batch (not acknowledged: sharers resend) and is started again.
 *
 * Batches go to the append log; once `moveAt` points are there, the worker moves them into
 * trail_points. Until a move is durable its points are also kept here, by
 * session, so that a backlog (`recent`) never scans the log: a relay restored after a Redis
 * outage answers thousands of `since` at once. What a crash leaves in the log is moved at the
 * next start (`trailAppender`); a clean stop moves it first (`close`).
 */
function workerAppender(path: string, moveAt: number): TrailAppender {
  let worker: Worker | null = null;
  let nextId = 1;
  const waiting = new Map<number, { resolve(): void; reject(e: Error): void }>();
  let logged: Logged = new Map();
  let loggedCount = 0;
  /** The points of the move in flight: in the log until it is durable. */
  let moving: Logged | null = null;
  let moved: Promise<void> | null = null;

  const start = () => {
    const w = new Worker(new URL('./trail-worker.mjs', import.meta.url), {
      workerData: { path, logSql: SQLITE_LOG, lastSql: SQLITE_LAST },
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

  const send = (message: object): Promise<void> => {
    worker ??= start();
    const w = worker;
    const id = nextId++;
    return new Promise<void>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      w.ref();
      w.postMessage({ id, ...message });
    });
  };

  const keep = (into: Logged, share: string, seq: number, c: string) => {
    const points = into.get(share);
    if (points) points.push({ seq, c });
    else into.set(share, [{ seq, c }]);
  };

  /** Moves the log into trail_points; its points stay in memory until that is durable. */
  const move = (): Promise<void> => {
    const batch = logged;
    moving = batch;
    logged = new Map();
    loggedCount = 0;
    moved = send({ move: true }).then(
      () => {
        moving = null;
      },
      () => {
        // Still in the log: kept for the next move.
        for (const [share, points] of batch) for (const p of points) keep(logged, share, p.seq, p.c);
        loggedCount += [...batch.values()].reduce((n, points) => n + points.length, 0);
        moving = null;
      },
    );
    return moved;
  };

  return {
    async append(points, now) {
      const shares = new Array<string>(points.length);
      const seqs = new Array<number>(points.length);
      const cs = new Array<string>(points.length);
      for (let i = 0; i < points.length; i++) {
        shares[i] = points[i].share;
        seqs[i] = points[i].seq;
        cs[i] = points[i].c;
      }
      await send({ now, shares, seqs, cs });
      for (let i = 0; i < points.length; i++) keep(logged, shares[i], seqs[i], cs[i]);
      loggedCount += points.length;
      if (loggedCount >= moveAt && !moving) void move();
    },
    recent(share, afterSeq) {
      const out: TrailPoint[] = [];
      for (const from of [moving, logged])
        for (const p of from?.get(share) ?? []) if (p.seq > afterSeq) out.push({ share, seq: p.seq, c: p.c });
      return out;
    },
    prepare() {
      // Started when a sharer joins, not at its first position: the thread's start (some
      // milliseconds of the event loop, then its boot) is not paid while positions flow, and
      // the first position is durable without waiting for it.
      worker ??= start();
    },
    async close() {
      if (!worker) return;
      if (moving) await moved;
      if (loggedCount > 0) await move();
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

/**
 * Every stored point of the sessions `shares` (ids, or a query of them), once each (by session, then seq):
 * trail_points and the points of SQLite's log not moved yet. For reads of whole trails (the
 * personal data export, tests); the relay's backlog reads the log from memory instead.
 */
export async function storedTrail(
  db: Kysely<Schema>,
  shares: readonly string[] | SelectQueryBuilder<Schema, 'share_sessions', { id: string }>,
) {
  const rows = await db
    .selectFrom('trail_points')
    .selectAll()
    .where('share_id', 'in', shares)
    .unionAll(db.selectFrom('trail_log').selectAll().where('share_id', 'in', shares))
    .execute();
  const once = new Map(rows.map((r) => [`${r.share_id} ${r.seq}`, r]));
  return [...once.values()].sort((a, b) =>
    a.share_id < b.share_id ? -1 : a.share_id > b.share_id ? 1 : a.seq - b.seq,
  );
}
