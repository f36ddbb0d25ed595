/**
 * One group commit of reports: which are retries of a report already stored (idempotency key),
 * which fit in their account's daily quota, which are held as a burst, the rows to insert and
 * the aggregate additions. The decisions are pure
 * (`planBatch`); the reads and writes are done per engine (batch-sqlite.ts for SQLite, in a
 * worker thread: batch-thread.ts; `writeBatchPostgres` below), inside one transaction.
 */
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { advisoryLockId } from '../db/advisory-lock.ts';
import type { Schema } from '../db/schema.ts';
import { Deltas } from './aggregates.ts';
import type { AnonymousReport } from './anonymize.ts';
import { burstAdditions, burstKey } from './bursts.ts';
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

/**
 * Decides every report of the batch. `known`: stored idempotency keys → their report;
 * `quotaAfter`: each quota key's count once the demand of `freshItems` was added; `stored`:
 * reports already stored per (cell, hour) of the batch; `claimed`: ids already reserved for
 * idempotency keys this transaction claimed (PostgreSQL), used for the reports they create.
 */
export function planBatch(
  batch: BatchItem[],
  known: Map<string, string>,
  quotaAfter: Map<string, number>,
  stored: Map<string, number>,
  limits: BatchLimits,
  claimed?: Map<string, string>,
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
    const outcome = decide(report, quota, idempotency);
    if (idempotency !== null) {
      firsts.set(idempotency, outcome);
      if ('id' in outcome) plan.keys.push({ key: idempotency, report_id: outcome.id, day: quota.day });
    }
    plan.outcomes.push(outcome);
  }
  return plan;

  function decide(report: AnonymousReport, quota: QuotaTicket, idempotency: string | null): WriteOutcome {
    const left = room.get(quota.key) ?? 0;
    room.set(quota.key, left - 1);
    if (left <= 0) return { quotaExceeded: true };
    const key = burstKey(report.cell9, report.hourBucket);
    const count = (inCell.get(key) ?? 0) + 1;
    inCell.set(key, count);
    const status: ReportStatus = count > limits.burstThreshold ? 'held' : 'accepted';
    const id = (idempotency !== null && claimed?.get(idempotency)) || randomUUID();
    plan.rows.push(reportRow(report, id, status, false));
    if (status === 'accepted') plan.deltas.add(report);
    const shown = plan.shown.get(report.territoryCode) ?? { count: 0, held: 0 };
    if (status === 'accepted') shown.count += 1;
    else shown.held += 1;
    plan.shown.set(report.territoryCode, shown);
    return { id, status };
  }
}

/** The columns of a stored report, in the order of `reportRow` (prepared and bulk inserts). */
export const REPORT_COLUMNS = [
  'id',
  'territory_code',
  'category',
  'role',
  'cell10',
  'cell9',
  'cell8',
  'cell7',
  'hour_bucket',
  'day',
  'iso_week',
  'hour_of_day',
  'weekday',
  'description',
  'status',
  'synthetic',
] as const satisfies readonly (keyof Schema['reports'])[];

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

/** Advisory lock of one (cell, hour): 64 bits of a hash (a collision only makes two keys share a lock). */
export const burstLockId = (key: string): bigint => advisoryLockId('havre.report-burst', key);

/**
 * The batch on PostgreSQL, in one transaction of four round trips whatever the batch size:
 * BEGIN with the burst locks, read, write, COMMIT.
 *
 * Several batches of one instance (and the batches of other instances) commit concurrently, so:
 * - burst: a transaction-level advisory lock per (cell, hour) of the batch, taken before the
 *   read, so the burst counters it reads (bursts.ts) include every batch that committed before;
 * - idempotency: the read first *claims* each key (insert, or the stored row if another
 *   transaction has it: PostgreSQL waits for that one to end, then returns its report id), so
 *   two instances receiving the same retry store one report and both answer its id;
 * - quota: the upsert's row lock makes concurrent batches agree on who is over the limit.
 * Locks go in one order everywhere (burst keys sorted, then idempotency keys, quota keys and
 * aggregate rows, each sorted), so concurrent batches cannot deadlock.
 */
export async function writeBatchPostgres(db: K, batch: BatchItem[], limits: BatchLimits): Promise<BatchPlan> {
  const locks = [...new Set(batch.map((b) => burstKey(b.report.cell9, b.report.hourBucket)))]
    .map(burstLockId)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return db.connection().execute(async (conn) => {
    // One round trip: without parameters, a query may hold several statements. The lock ids
    // are integers computed here, nothing from a request.
    await sql
      .raw(`BEGIN; SELECT ${locks.map((l) => `pg_advisory_xact_lock(${l})`).join(', ')}`)
      .execute(conn);
    try {
      const plan = await readAndWritePostgres(conn, batch, limits);
      await sql.raw('COMMIT').execute(conn);
      return plan;
    } catch (error) {
      await sql
        .raw('ROLLBACK')
        .execute(conn)
        .catch(() => {});
      throw error;
    }
  });
}

/**
 * Read: claim the idempotency keys, upsert the quota (retries of stored reports left out) and
 * read the burst counters of the batch's cells and hours, in one statement. Write: insert the
 * rows (column arrays, `unnest`), add to the burst counters and both aggregate tables and
 * release the claims that made no report (over quota: a later attempt may try again), in one
 * statement.
 */
async function readAndWritePostgres(tx: K, batch: BatchItem[], limits: BatchLimits): Promise<BatchPlan> {
  const firsts = firstAttempts(batch);
  /** The id each key's report gets if this transaction claims the key. */
  const proposed = firsts.map((b) => (b.idempotency === null ? null : randomUUID()));
  const read = await sql<{
    kind: 'quota' | 'claim' | 'stored';
    key: string | null;
    n: number;
    cell9: string | null;
    hour_bucket: number | null;
  }>`
    WITH attempt AS (
      SELECT * FROM unnest(${firsts.map((b) => b.quota.key)}::text[], ${firsts.map((b) => b.quota.day)}::text[],
        ${firsts.map((b) => b.idempotency)}::text[], ${proposed}::text[]) AS t(quota_key, day, idempotency, id)),
    claim AS (
      INSERT INTO report_idempotency (key, report_id, day)
      SELECT idempotency, id, day FROM attempt WHERE idempotency IS NOT NULL ORDER BY idempotency
      ON CONFLICT (key) DO UPDATE SET day = report_idempotency.day
      RETURNING key, report_id),
    known AS (
      SELECT claim.key FROM claim JOIN attempt ON attempt.idempotency = claim.key
      WHERE claim.report_id <> attempt.id),
    quota AS (
      INSERT INTO report_quota (key, day, n)
      SELECT quota_key, min(day), count(*)::int FROM attempt
      WHERE idempotency IS NULL OR idempotency NOT IN (SELECT key FROM known)
      GROUP BY quota_key ORDER BY quota_key
      ON CONFLICT (key) DO UPDATE SET n = report_quota.n + excluded.n
      RETURNING key, n)
    SELECT 'quota' AS kind, key, n, NULL::text AS cell9, NULL::bigint AS hour_bucket FROM quota
    UNION ALL
    SELECT 'claim', key, 0, report_id, NULL FROM claim
    UNION ALL
    SELECT 'stored', NULL, n, cell9, hour_bucket FROM report_bursts
    WHERE cell9 = ANY(${[...new Set(batch.map((b) => b.report.cell9))]}::text[])
      AND hour_bucket = ANY(${[...new Set(batch.map((b) => b.report.hourBucket))]}::bigint[])`.execute(tx);
  const mine = new Map<string, string>();
  firsts.forEach((b, i) => {
    if (b.idempotency !== null) mine.set(b.idempotency, proposed[i] as string);
  });
  const after = new Map<string, number>();
  const known = new Map<string, string>();
  const claimed = new Map<string, string>();
  const stored = new Map<string, number>();
  for (const r of read.rows) {
    if (r.kind === 'quota') after.set(r.key as string, Number(r.n));
    else if (r.kind === 'claim') {
      const key = r.key as string;
      (mine.get(key) === r.cell9 ? claimed : known).set(key, r.cell9 as string);
    } else stored.set(burstKey(r.cell9 as string, Number(r.hour_bucket)), Number(r.n));
  }
  const plan = planBatch(batch, known, after, stored, limits, claimed);
  const used = new Set(plan.keys.map((k) => k.key));
  const unused = [...claimed.keys()].filter((key) => !used.has(key));
  if (!plan.rows.length) {
    if (unused.length)
      await sql`DELETE FROM report_idempotency WHERE key = ANY(${unused}::text[])`.execute(tx);
    return plan;
  }
  const col = <C extends keyof Schema['reports']>(c: C) => plan.rows.map((r) => r[c]);
  const counts = [...plan.deltas.counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => r);
  const cc = <C extends keyof Schema['report_counts']>(c: C) => counts.map((r) => r[c]);
  const hours = [...plan.deltas.hours.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => r);
  const hc = <C extends keyof Schema['report_hour_counts']>(c: C) => hours.map((r) => r[c]);
  const bursts = burstAdditions(plan.rows);
  await sql`
    WITH inserted AS (
      INSERT INTO reports (id, territory_code, category, role, cell10, cell9, cell8, cell7, hour_bucket,
        day, iso_week, hour_of_day, weekday, description, status, synthetic)
      SELECT * FROM unnest(${col('id')}::text[], ${col('territory_code')}::text[], ${col('category')}::text[],
        ${col('role')}::text[], ${col('cell10')}::text[], ${col('cell9')}::text[], ${col('cell8')}::text[],
        ${col('cell7')}::text[], ${col('hour_bucket')}::bigint[], ${col('day')}::text[], ${col('iso_week')}::text[],
        ${col('hour_of_day')}::int[], ${col('weekday')}::int[], ${col('description')}::text[], ${col('status')}::text[],
        ${col('synthetic')}::int[])),
    unclaimed AS (
      DELETE FROM report_idempotency WHERE key = ANY(${unused}::text[])),
    bursts AS (
      INSERT INTO report_bursts (cell9, hour_bucket, n)
      SELECT * FROM unnest(${bursts.map((b) => b.cell9)}::text[], ${bursts.map((b) => b.hour_bucket)}::bigint[],
        ${bursts.map((b) => b.n)}::int[])
      ON CONFLICT (cell9, hour_bucket) DO UPDATE SET n = report_bursts.n + excluded.n),
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
}
