/**
 * Worker thread that owns its own SQLite connection and commits the ciphertext trail, so
 * that better-sqlite3's synchronous commit (fsync included: milliseconds on a busy disk) no
 * longer stops the relay's event loop. Plain JavaScript on purpose: a worker does not inherit
 * the TypeScript loader of the main thread (tsx at run time, Vite in tests).
 *
 * In:  {id, now, shares: string[], seqs: number[], cs: string[]} — one batch, column-wise,
 *      appended to the log (trail_log) in one transaction;
 *      {id, move: true} — the log moved into trail_points, sorted by session, in short
 *      transactions (`move` below);
 *      {close: true} closes the connection and ends the thread.
 * Out: {id} once durable, or {id, error}: nothing of a failed batch was stored; a failed move
 *      may have moved some rows, and is done again safely (its rows stay in the log until the end).
 * The main thread acknowledges the batch's points to their sharers only after `{id}`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

// Same settings as the main connection (src/db/database.ts): WAL, durable commits.
const db = new Database(workerData.path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');

const log = db.prepare(workerData.logSql);
const last = db.prepare(workerData.lastSql);
const logOrder = db.prepare('SELECT rowid FROM trail_log ORDER BY share_id, seq').pluck();
// Row by row from the log, so that what a purge or an erasure removed from it meanwhile is not
// brought back (ON CONFLICT: a resent point, or a move done again after a crash).
const moveOne = db.prepare(
  `INSERT INTO trail_points (share_id, seq, ciphertext, received_at)
   SELECT share_id, seq, ciphertext, received_at FROM trail_log WHERE rowid = ?
   ON CONFLICT (share_id, seq) DO NOTHING`,
);
const forget = db.prepare('DELETE FROM trail_log WHERE rowid BETWEEN ? AND ?');
/**
 * Rows per transaction of a move. The whole log in one transaction held SQLite's write lock for
 * 90–240 ms (16,384 points, 5,000 sessions), and the main connection's writes wait for it on the
 * relay's event loop; 512 sorted rows hold it ~5 ms, as a batch of positions does. Sorted chunks
 * keep the gain: each session's rows still go in together, onto its own index page.
 */
const MOVE_CHUNK = 512;
/** Log rows forgotten per transaction once moved (consecutive rowids: a few pages each). */
const FORGET_CHUNK = 4096;

const write = db.transaction((batch) => {
  const { shares, seqs, cs, now } = batch;
  /** Highest seq per share of the batch. */
  const highest = new Map();
  for (let i = 0; i < shares.length; i++) {
    log.run(shares[i], seqs[i], cs[i], now);
    const m = highest.get(shares[i]);
    if (m === undefined || seqs[i] > m) highest.set(shares[i], seqs[i]);
  }
  for (const [share, seq] of highest) last.run(seq, seq, now, share);
});

const moveChunk = db.transaction((rowids) => {
  for (const rowid of rowids) moveOne.run(rowid);
});

/** The log into trail_points, then out of the log; done again after a crash, nothing is lost or doubled. */
function move() {
  const rowids = logOrder.all();
  if (rowids.length === 0) return;
  for (let i = 0; i < rowids.length; i += MOVE_CHUNK) moveChunk(rowids.slice(i, i + MOVE_CHUNK));
  let low = rowids[0];
  let high = rowids[0];
  for (const rowid of rowids) {
    if (rowid < low) low = rowid;
    if (rowid > high) high = rowid;
  }
  for (let from = low; from <= high; from += FORGET_CHUNK)
    forget.run(from, Math.min(high, from + FORGET_CHUNK - 1));
}

parentPort.on('message', (message) => {
  if (message.close) {
    db.close();
    parentPort.close();
    return;
  }
  try {
    if (message.move) move();
    else write(message);
    parentPort.postMessage({ id: message.id });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: String(error?.message ?? error) });
  }
});
