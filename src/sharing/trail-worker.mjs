/**
 * Worker thread that owns its own SQLite connection and commits the ciphertext trail, so
 * that better-sqlite3's synchronous commit (fsync included: milliseconds on a busy disk) no
 * longer stops the relay's event loop. Plain JavaScript on purpose: a worker does not inherit
 * the TypeScript loader of the main thread (tsx at run time, Vite in tests).
 *
 * In:  {id, now, shares: string[], seqs: number[], cs: string[]} — one batch, column-wise,
 *      appended to the log (trail_log) in one transaction;
 *      {id, move: true} — the log moved into trail_points, sorted by session, in one transaction;
 *      {close: true} closes the connection and ends the thread.
 * Out: {id} once the transaction is durable, or {id, error} (nothing of it was done).
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
const moveStatements = workerData.moveSql.map((sql) => db.prepare(sql));

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

const move = db.transaction(() => {
  for (const statement of moveStatements) statement.run();
});

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
