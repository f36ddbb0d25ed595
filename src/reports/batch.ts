/**
 * One group commit of reports: which are retries of a report already stored (idempotency key),
 * which fit in their account's daily quota, which are held as a burst, the rows to insert and
 * the aggregate additions. The decisions are pure
 * (`planBatch`); the reads and writes are done per engine (batch-sqlite.ts for SQLite,
 * `writeBatchPostgres` below), inside one transaction.
 */
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { Deltas } from './aggregates.ts';
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
  /** HMAC of the device's idempotency key (idempotency.ts), or null without one. */
  idempotency: string | null;
}

export type WriteOutcome =
  | { id: string; status: ReportStatus }
  /** A retry: the report `id` was stored by an earlier attempt (or earlier in this batch). */
  | { id: string; replayed: true }
  | { quotaExceeded: true };

export interface BatchPlan {
  rows: Schema['reports'][];
  deltas: Deltas;
  outcomes: WriteOutcome[];
  /**
   * Reports per territory that change what its live feed shows: accepted ones, and held ones
   * too (the feed shows how many are held, so moderators see a burst as it happens).
   */
  shown: Map<string, { count: number; held: number }>;
  /** Idempotency keys of the reports created, to store with them. */
  keys: Schema['report_idempotency'][];
}

export interface BatchLimits {
  dailyQuota: number;
  burstThreshold: number;
}

/** The items of the batch that are the first with their idempotency key (or have none). */
export function firstAttempts(batch: BatchItem[]): BatchItem[] {
  const seen = new Set<string>();
  return batch.filter(({ idempotency }) => {
    if (idempotency === null) return true;
    if (seen.has(idempotency)) return false;
    seen.add(idempotency);
    return true;
  });
}

/** The items that may create a report: first attempts whose key is not stored yet (`known`). */
export const freshItems = (batch: BatchItem[], known: Map<string, string>): BatchItem[] =>
  firstAttempts(batch).filter((item) => item.idempotency === null || !known.has(item.idempotency));

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
 * Decides every report of the batch. `known`: stored idempotency keys → their report;
 * `quotaAfter`: each quota key's count once the demand of `freshItems` was added; `stored`:
 * reports already stored per (cell, hour) of the batch.
 */
export function planBatch(
  batch: BatchItem[],
  known: Map<string, string>,
  quotaAfter: Map<string, number>,
  stored: Map<string, number>,
  limits: BatchLimits,
): BatchPlan {
  const demand = new Map(quotaDemand(freshItems(batch, known)).map((d) => [d.key, d.n]));
  const room = new Map<string, number>();
  for (const [key, after] of quotaAfter)
    room.set(key, Math.max(0, limits.dailyQuota - (after - (demand.get(key) ?? 0))));
  const inCell = new Map(stored);
  const plan: BatchPlan = { rows: [], deltas: new Deltas(), outcomes: [], shown: new Map(), keys: [] };
  /** Outcome of the first attempt of each key in this batch. */
  const firsts = new Map<string, WriteOutcome>();
  for (const { report, quota, idempotency } of batch) {
    const earlier = idempotency === null ? undefined : (known.get(idempotency) ?? firsts.get(idempotency));
    if (earlier !== undefined) {
      const id = typeof earlier === 'string' ? earlier : 'id' in earlier ? earlier.id : null;
      plan.outcomes.push(id === null ? { quotaExceeded: true } : { id, replayed: true });
      continue;
    }
    const outcome = decide(report, quota);
    if (idempotency !== null) {
      firsts.set(idempotency, outcome);
      if ('id' in outcome) plan.keys.push({ key: idempotency, report_id: outcome.id, day: quota.day });
    }
    plan.outcomes.push(outcome);
  }
  return plan;

  function decide(report: AnonymousReport, quota: QuotaTicket): WriteOutcome {
    const left = room.get(quota.key) ?? 0;
    room.set(quota.key, left - 1);
    if (left <= 0) return { quotaExceeded: true };
    const key = burstKey(report.cell9, report.hourBucket);
    const count = (inCell.get(key) ?? 0) + 1;
    inCell.set(key, count);
    const status: ReportStatus = count > limits.burstThreshold ? 'held' : 'accepted';
    const id = randomUUID();
    plan.rows.push(reportRow(report, id, status, false));
    if (status === 'accepted') plan.deltas.add(report);
    const shown = plan.shown.get(report.territoryCode) ?? { count: 0, held: 0 };
    if (status === 'accepted') shown.count += 1;
    else shown.held += 1;
    plan.shown.set(report.territoryCode, shown);
    return { id, status };
  }
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
 * The batch on PostgreSQL, in one transaction of two statements (BEGIN, read, write, COMMIT:
 * four round trips whatever the batch size). The read upserts the quota and counts the stored
 * reports of the batch's cells and hours; the write inserts the rows (column arrays, `unnest`)
 * and adds to both aggregate tables, as data-modifying CTEs of one statement.
 * The quota upsert's row locks make concurrent batches and instances agree on who is over the
 * limit; keys go in sorted order (quota, then aggregates), so concurrent batches lock rows in
 * the same order and cannot deadlock.
 */
export async function writeBatchPostgres(db: K, batch: BatchItem[], limits: BatchLimits): Promise<BatchPlan> {
  return db.transaction().execute(async (tx) => {
    // The quota demand leaves out retries of stored reports, found in the same statement.
    const firsts = firstAttempts(batch);
    const read = await sql<{
      kind: 'quota' | 'known' | 'stored';
      key: string | null;
      n: number;
      cell9: string | null;
      hour_bucket: number | null;
    }>`
      WITH attempt AS (
        SELECT * FROM unnest(${firsts.map((b) => b.quota.key)}::text[], ${firsts.map((b) => b.quota.day)}::text[],
          ${firsts.map((b) => b.idempotency)}::text[]) AS t(quota_key, day, idempotency)),
      known AS (
        SELECT key, report_id FROM report_idempotency
        WHERE key IN (SELECT idempotency FROM attempt WHERE idempotency IS NOT NULL)),
      quota AS (
        INSERT INTO report_quota (key, day, n)
        SELECT quota_key, min(day), count(*)::int FROM attempt
        WHERE idempotency IS NULL OR idempotency NOT IN (SELECT key FROM known)
        GROUP BY quota_key ORDER BY quota_key
        ON CONFLICT (key) DO UPDATE SET n = report_quota.n + excluded.n
        RETURNING key, n)
      SELECT 'quota' AS kind, key, n, NULL::text AS cell9, NULL::bigint AS hour_bucket FROM quota
      UNION ALL
      SELECT 'known', key, 0, report_id, NULL FROM known
      UNION ALL
      SELECT 'stored', NULL, count(*)::int, cell9, hour_bucket FROM reports
      WHERE cell9 = ANY(${[...new Set(batch.map((b) => b.report.cell9))]}::text[])
        AND hour_bucket = ANY(${[...new Set(batch.map((b) => b.report.hourBucket))]}::bigint[])
      GROUP BY cell9, hour_bucket`.execute(tx);
    const after = new Map<string, number>();
    const known = new Map<string, string>();
    const stored = new Map<string, number>();
    for (const r of read.rows) {
      if (r.kind === 'quota') after.set(r.key as string, Number(r.n));
      else if (r.kind === 'known') known.set(r.key as string, r.cell9 as string);
      else stored.set(burstKey(r.cell9 as string, Number(r.hour_bucket)), Number(r.n));
    }
    const plan = planBatch(batch, known, after, stored, limits);
    if (!plan.rows.length) return plan;
    const col = <C extends keyof Schema['reports']>(c: C) => plan.rows.map((r) => r[c]);
    const counts = [...plan.deltas.counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => r);
    const cc = <C extends keyof Schema['report_counts']>(c: C) => counts.map((r) => r[c]);
    const hours = [...plan.deltas.hours.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => r);
    const hc = <C extends keyof Schema['report_hour_counts']>(c: C) => hours.map((r) => r[c]);
    await sql`
      WITH inserted AS (
        INSERT INTO reports (id, territory_code, category, role, cell10, cell9, cell8, cell7, hour_bucket,
          day, iso_week, hour_of_day, weekday, description, status, synthetic)
        SELECT * FROM unnest(${col('id')}::text[], ${col('territory_code')}::text[], ${col('category')}::text[],
          ${col('role')}::text[], ${col('cell10')}::text[], ${col('cell9')}::text[], ${col('cell8')}::text[],
          ${col('cell7')}::text[], ${col('hour_bucket')}::bigint[], ${col('day')}::text[], ${col('iso_week')}::text[],
          ${col('hour_of_day')}::int[], ${col('weekday')}::int[], ${col('description')}::text[], ${col('status')}::text[],
          ${col('synthetic')}::int[])),
      keyed AS (
        INSERT INTO report_idempotency (key, report_id, day)
        SELECT * FROM unnest(${plan.keys.map((k) => k.key)}::text[], ${plan.keys.map((k) => k.report_id)}::text[],
          ${plan.keys.map((k) => k.day)}::text[])
        ON CONFLICT (key) DO NOTHING),
      counted AS (
        INSERT INTO report_counts (territory_code, level, category, bucket, cell, n)
        SELECT * FROM unnest(${cc('territory_code')}::text[], ${cc('level')}::int[], ${cc('category')}::text[],
          ${cc('bucket')}::bigint[], ${cc('cell')}::text[], ${cc('n')}::int[])
        ON CONFLICT (territory_code, level, category, bucket, cell) DO UPDATE SET n = report_counts.n + excluded.n)
      INSERT INTO report_hour_counts (territory_code, category, hour_bucket, iso_week, hour_of_day, weekday, n)
      SELECT * FROM unnest(${hc('territory_code')}::text[], ${hc('category')}::text[], ${hc('hour_bucket')}::bigint[],
        ${hc('iso_week')}::text[], ${hc('hour_of_day')}::int[], ${hc('weekday')}::int[], ${hc('n')}::int[])
      ON CONFLICT (territory_code, category, hour_bucket) DO UPDATE SET n = report_hour_counts.n + excluded.n`.execute(
      tx,
    );
    return plan;
  });
}
