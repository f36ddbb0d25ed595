/**
 * Worker thread of the SQLite report intake, started by writer.ts through src/db/ts-worker.mjs:
 * its own connection commits the group-commit batches (batch-sqlite.ts, synchronous=FULL), so
 * the fsync of a batch never stops the event loop that parses the next requests.
 *
 * In:  {id, batch: BatchItem[], limits}; {close: true} closes the connection and ends the thread.
 * Out: {id, result: {outcomes, shown}} once the transaction is durable, or {id, error, code}:
 * nothing of the batch was stored (src/db/worker-client.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { configureSqlite } from '../db/sqlite-settings.ts';
import type { BatchItem, BatchLimits } from './batch.ts';
import { writeBatchSqlite } from './batch-sqlite.ts';

type Message = { close: true } | { close?: undefined; id: number; batch: BatchItem[]; limits: BatchLimits };

const port = parentPort;
if (!port) throw new Error('batch-thread.ts runs in a worker thread');
const db = new Database((workerData as { path: string }).path);
configureSqlite(db);

port.on('message', (msg: Message) => {
  if (msg.close) {
    db.close();
    port.close();
    return;
  }
  try {
    const { outcomes, shown } = writeBatchSqlite(db, msg.batch, msg.limits);
    port.postMessage({ id: msg.id, result: { outcomes, shown } });
  } catch (error) {
    const { message, code } = error as { message?: string; code?: string };
    port.postMessage({ id: msg.id, error: String(message ?? error), code });
  }
});
