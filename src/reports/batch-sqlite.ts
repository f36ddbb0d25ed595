/**
 * The batch on SQLite: cached prepared statements in one synchronous transaction (one
 * fsync per batch, synchronous=FULL). Kysely compiles and prepares a statement per call,
 * which costs more than the write itself for the small upserts a report makes.
 * Runs in the intake's worker thread on its own connection (batch-thread.ts), or, for an
 * in-memory database, on the main connection while holding Kysely's (writer.ts).
 */
import type SqliteDatabase from 'better-sqlite3';
import { isWeekStampRow } from './aggregates.ts';
import {
  type BatchItem,
  type BatchLimits,
  type BatchPlan,
  freshItems,
  planBatch,
  quotaDemand,
  REPORT_COLUMNS,
} from './batch.ts';
import { burstAdditions, burstKey } from './bursts.ts';

type Database = SqliteDatabase.Database;

function prepare(db: Database) {
  const insertReport = db.prepare(
    `INSERT INTO reports (${REPORT_COLUMNS.join(', ')}) VALUES (${REPORT_COLUMNS.map((c) => `@${c}`).join(', ')})`,
  );
  const quota = db.prepare(
    'INSERT INTO report_quota (key, day, n) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET n = report_quota.n + excluded.n RETURNING n',
  );
  const stored = db.prepare('SELECT n FROM report_bursts WHERE cell9 = ? AND hour_bucket = ?').pluck();
  const addBurst = db.prepare(
    'INSERT INTO report_bursts (cell9, hour_bucket, n) VALUES (?, ?, ?) ' +
      'ON CONFLICT (cell9, hour_bucket) DO UPDATE SET n = report_bursts.n + excluded.n',
  );
  const knownKey = db.prepare('SELECT report_id FROM report_idempotency WHERE key = ?').pluck();
  const insertKey = db.prepare(
    'INSERT INTO report_idempotency (key, report_id, day) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING',
  );
  const count = db.prepare(
    'INSERT INTO report_counts (territory_code, level, category, bucket, cell, n) VALUES (?, ?, ?, ?, ?, ?) ' +
      'ON CONFLICT (territory_code, level, category, bucket, cell) DO UPDATE SET n = report_counts.n + excluded.n',
  );
  const hour = db.prepare(
    'INSERT INTO report_hour_counts (territory_code, category, hour_bucket, iso_week, hour_of_day, weekday, n) ' +
      'VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (territory_code, category, hour_bucket) ' +
      'DO UPDATE SET n = report_hour_counts.n + excluded.n',
  );
  return db.transaction((batch: BatchItem[], limits: BatchLimits): BatchPlan => {
    const known = new Map<string, string>();
    for (const { idempotency } of batch) {
      const id = idempotency === null ? undefined : (knownKey.get(idempotency) as string | undefined);
      if (id !== undefined) known.set(idempotency as string, id);
    }
    const after = new Map<string, number>();
    for (const d of quotaDemand(freshItems(batch, known)))
      after.set(d.key, (quota.get(d.key, d.day, d.n) as { n: number }).n);
    const counts = new Map<string, number>();
    for (const { report } of batch) {
      const key = burstKey(report.cell9, report.hourBucket);
      if (!counts.has(key))
        counts.set(key, (stored.get(report.cell9, report.hourBucket) as number | undefined) ?? 0);
    }
    const plan = planBatch(batch, known, after, counts, limits);
    for (const row of plan.rows) insertReport.run(row);
    for (const b of burstAdditions(plan.rows)) addBurst.run(b.cell9, b.hour_bucket, b.n);
    for (const k of plan.keys) insertKey.run(k.key, k.report_id, k.day);
    for (const r of plan.deltas.counts.values()) {
      if (r.n !== 0 || isWeekStampRow(r))
        count.run(r.territory_code, r.level, r.category, r.bucket, r.cell, r.n);
    }
    for (const r of plan.deltas.hours.values()) {
      if (r.n !== 0)
        hour.run(r.territory_code, r.category, r.hour_bucket, r.iso_week, r.hour_of_day, r.weekday, r.n);
    }
    return plan;
  }).immediate;
}

const writers = new WeakMap<Database, (batch: BatchItem[], limits: BatchLimits) => BatchPlan>();

export function writeBatchSqlite(db: Database, batch: BatchItem[], limits: BatchLimits): BatchPlan {
  let write = writers.get(db);
  if (!write) {
    write = prepare(db);
    writers.set(db, write);
  }
  return write(batch, limits);
}
