/**
 * One group commit of reports: which reports fit in their account's daily quota, which are
 * held as a burst, the rows to insert and the aggregate additions. The decisions are pure
 * (`planBatch`); the reads and writes are done per engine (batch-sqlite.ts for SQLite, the
 * Kysely functions below for PostgreSQL), inside one transaction.
 */
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { applyDeltas, Deltas } from './aggregates.ts';
import type { AnonymousReport } from './anonymize.ts';
import type { ReportStatus } from './tables.ts';

type K = Kysely<Schema>;

export interface QuotaTicket {
  /** HMAC(secret, account, day): see quota.ts. */
  key: string;
  day: string;
}

export interface BatchItem {
  report: AnonymousReport;
  quota: QuotaTicket;
}

export type WriteOutcome = { id: string; status: ReportStatus } | { quotaExceeded: true };

export interface BatchPlan {
  rows: Schema['reports'][];
  deltas: Deltas;
  outcomes: WriteOutcome[];
  /** Accepted reports per territory (for the live feed). */
  accepted: Map<string, number>;
}

export interface BatchLimits {
  dailyQuota: number;
  burstThreshold: number;
}

/** How many reports of the batch use each quota key, sorted by key (one lock order everywhere). */
export function quotaDemand(batch: BatchItem[]): { key: string; day: string; n: number }[] {
  const perKey = new Map<string, { key: string; day: string; n: number }>();
  for (const { quota } of batch) {
    const entry = perKey.get(quota.key);
    if (entry) entry.n += 1;
    else perKey.set(quota.key, { key: quota.key, day: quota.day, n: 1 });
  }
  return [...perKey.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
}

export const burstKey = (cell9: string, hourBucket: number) => `${cell9}|${hourBucket}`;

/**
 * Decides every report of the batch. `quotaAfter`: each key's count once the batch's
 * demand was added; `stored`: reports already stored per (cell, hour) of the batch.
 */
export function planBatch(
  batch: BatchItem[],
  quotaAfter: Map<string, number>,
  stored: Map<string, number>,
  limits: BatchLimits,
): BatchPlan {
  const demand = new Map(quotaDemand(batch).map((d) => [d.key, d.n]));
  const room = new Map<string, number>();
  for (const [key, after] of quotaAfter)
    room.set(key, Math.max(0, limits.dailyQuota - (after - (demand.get(key) ?? 0))));
  const inCell = new Map(stored);
  const plan: BatchPlan = { rows: [], deltas: new Deltas(), outcomes: [], accepted: new Map() };
  for (const { report, quota } of batch) {
    const left = room.get(quota.key) ?? 0;
    room.set(quota.key, left - 1);
    if (left <= 0) {
      plan.outcomes.push({ quotaExceeded: true });
      continue;
    }
    const key = burstKey(report.cell9, report.hourBucket);
    const count = (inCell.get(key) ?? 0) + 1;
    inCell.set(key, count);
    const status: ReportStatus = count > limits.burstThreshold ? 'held' : 'accepted';
    const id = randomUUID();
    plan.rows.push(reportRow(report, id, status, false));
    if (status === 'accepted') {
      plan.deltas.add(report);
      plan.accepted.set(report.territoryCode, (plan.accepted.get(report.territoryCode) ?? 0) + 1);
    }
    plan.outcomes.push({ id, status });
  }
  return plan;
}

export function reportRow(
  r: AnonymousReport,
  id: string,
  status: ReportStatus,
  synthetic: boolean,
): Schema['reports'] {
  return {
    id,
    territory_code: r.territoryCode,
    category: r.category,
    role: r.role,
    cell10: r.cell10,
    cell9: r.cell9,
    cell8: r.cell8,
    cell7: r.cell7,
    hour_bucket: r.hourBucket,
    day: r.day,
    iso_week: r.isoWeek,
    hour_of_day: r.hourOfDay,
    weekday: r.weekday,
    description: r.description,
    status,
    synthetic: synthetic ? 1 : 0,
  };
}

export async function insertReports(tx: K, rows: Schema['reports'][]): Promise<void> {
  // 16 columns × 500 rows stays far below both engines' limits on bound parameters.
  for (let i = 0; i < rows.length; i += 500) {
    await tx
      .insertInto('reports')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

/**
 * The batch on PostgreSQL (or any engine through Kysely): one quota upsert, one burst read,
 * multi-row inserts and upserts, in one transaction. The quota upsert's row locks make
 * concurrent instances agree on who is over the limit.
 */
export async function writeBatchKysely(db: K, batch: BatchItem[], limits: BatchLimits): Promise<BatchPlan> {
  return db.transaction().execute(async (tx) => {
    const after = await tx
      .insertInto('report_quota')
      .values(quotaDemand(batch))
      .onConflict((oc) => oc.column('key').doUpdateSet({ n: sql`report_quota.n + excluded.n` }))
      .returning(['key', 'n'])
      .execute();
    const stored = new Map<string, number>();
    const rows = await tx
      .selectFrom('reports')
      .select(['cell9', 'hour_bucket', sql<number>`count(*)`.as('n')])
      .where('cell9', 'in', [...new Set(batch.map((b) => b.report.cell9))])
      .where('hour_bucket', 'in', [...new Set(batch.map((b) => b.report.hourBucket))])
      .groupBy(['cell9', 'hour_bucket'])
      .execute();
    for (const r of rows) stored.set(burstKey(r.cell9, Number(r.hour_bucket)), Number(r.n));
    const plan = planBatch(batch, new Map(after.map((r) => [r.key, Number(r.n)])), stored, limits);
    await insertReports(tx, plan.rows);
    await applyDeltas(tx, plan.deltas);
    return plan;
  });
}
