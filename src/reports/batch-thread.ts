/**
 * Worker thread of the report intake, started by writer.ts through src/db/ts-worker.mjs, with
 * its own connection that commits the group-commit batches:
 * - SQLite (`{path}`): batch-sqlite.ts, synchronous=FULL; the fsync of a batch never stops the
 *   event loop that parses the next requests.
 * - PostgreSQL (`{url, schema}`): `writeBatchPostgres`, four round trips per batch. On the main
 *   thread each round trip's answer waited behind the requests queued on the busy event loop
 *   (about 10 ms each at 1,000 reports/s: `npm run bench -- intake`); here nothing else runs.
 *   Batches sent while one commits run at once on the thread's pool (the writer decides how
 *   many are in flight).
 *
 * In:  {id, batch: BatchItem[], limits}; {close: true} closes the connection (once the batches
 *      in flight are answered) and ends the thread.
 * Out: {id, result: {outcomes, shown}} once the transaction is durable, or {id, error, code}:
 *      nothing of the batch was stored (src/db/worker-client.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { postgresPool } from '../db/database.ts';
import { configureSqlite } from '../db/sqlite-settings.ts';
import type { BatchItem, BatchLimits, BatchPlan } from './batch.ts';
import { writeBatchPostgres } from './batch.ts';
import { writeBatchSqlite } from './batch-sqlite.ts';

export type BatchThreadData = { path: string } | { url: string; schema?: string };

type Message = { close: true } | { close?: undefined; id: number; batch: BatchItem[]; limits: BatchLimits };

/** Batches committing at once on PostgreSQL at most (the writer sends fewer: settings.ts). */
const POSTGRES_POOL = 4;

const port = parentPort;
if (!port) throw new Error('batch-thread.ts runs in a worker thread');
const data = workerData as BatchThreadData;

const engine = 'path' in data ? sqliteEngine(data.path) : postgresEngine(data.url, data.schema);
const inFlight = new Set<Promise<void>>();

port.on('message', (msg: Message) => {
  if (msg.close) {
    void Promise.allSettled(inFlight).then(async () => {
      await engine.close();
      port.close();
    });
    return;
  }
  const done = engine
    .write(msg.batch, msg.limits)
    .then(({ outcomes, shown }) => port.postMessage({ id: msg.id, result: { outcomes, shown } }))
    .catch((error) => {
      const { message, code } = error as { message?: string; code?: string };
      port.postMessage({ id: msg.id, error: String(message ?? error), code });
    })
    .finally(() => inFlight.delete(done));
  inFlight.add(done);
});

function sqliteEngine(path: string) {
  const db = new Database(path);
  configureSqlite(db);
  return {
    write: async (batch: BatchItem[], limits: BatchLimits): Promise<BatchPlan> =>
      writeBatchSqlite(db, batch, limits),
    close: async () => db.close(),
  };
}

function postgresEngine(url: string, schema: string | undefined) {
  const { kysely } = postgresPool(url, schema, POSTGRES_POOL);
  return {
    write: (batch: BatchItem[], limits: BatchLimits) => writeBatchPostgres(kysely, batch, limits),
    close: () => kysely.destroy(),
  };
}
