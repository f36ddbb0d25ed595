/**
 * Durable, fast intake: group commit. Reports arriving while a transaction is being
 * written wait in a queue; the next transaction takes them all (up to `maxBatch`) and
 * writes reports, quotas and aggregates in ONE commit (SQLite synchronous=FULL, PostgreSQL
 * synchronous_commit=on). Each request is answered only after its commit: nothing
 * acknowledged is ever lost, and N reports cost one fsync instead of N.
 */
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Schema } from '../db/schema.ts';
import type { Services } from '../server/services.ts';
import { applyDeltas, Deltas } from './aggregates.ts';
import type { AnonymousReport } from './anonymize.ts';
import { reportSettings } from './settings.ts';
import type { ReportStatus } from './tables.ts';

type K = Kysely<Schema>;

export type WriteOutcome = { id: string; status: ReportStatus } | { quotaExceeded: true };

export interface QuotaTicket {
  /** HMAC(secret, account, day): see quota.ts. */
  key: string;
  day: string;
}

interface Pending {
  report: AnonymousReport;
  quota: QuotaTicket;
  resolve(outcome: WriteOutcome): void;
  reject(error: unknown): void;
}

/** Topic of the live feed of a territory. The message says how many were accepted, nothing else. */
export const acceptedTopic = (territoryCode: string) => `reports.accepted.${territoryCode}`;

export class ReportWriter {
  private queue: Pending[] = [];
  private running: Promise<void> | null = null;
  private scheduled = false;

  constructor(private readonly services: Services) {}

  submit(report: AnonymousReport, quota: QuotaTicket): Promise<WriteOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ report, quota, resolve, reject });
      if (!this.scheduled && !this.running) {
        this.scheduled = true;
        // One tick: everything that arrives in this turn of the event loop joins the batch.
        setImmediate(() => {
          this.scheduled = false;
          this.running = this.run().finally(() => {
            this.running = null;
          });
        });
      }
    });
  }

  /** Resolves once every submitted report is committed (graceful shutdown). */
  async drain(): Promise<void> {
    while (this.running || this.scheduled || this.queue.length) {
      await (this.running ?? new Promise((r) => setImmediate(r)));
    }
  }

  private async run(): Promise<void> {
    const { maxBatch } = reportSettings(this.services);
    while (this.queue.length) {
      const batch = this.queue.splice(0, maxBatch);
      try {
        const outcomes = await writeBatch(this.services, batch);
        batch.forEach((p, i) => {
          p.resolve(outcomes[i]);
        });
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
  }
}

const writers = new WeakMap<Services, ReportWriter>();

/** The writer of this Havre instance (one per Services, so one per database handle). */
export function reportWriter(services: Services): ReportWriter {
  let writer = writers.get(services);
  if (!writer) {
    writer = new ReportWriter(services);
    writers.set(services, writer);
  }
  return writer;
}

async function writeBatch(services: Services, batch: Pending[]): Promise<WriteOutcome[]> {
  const settings = reportSettings(services);
  const outcomes: WriteOutcome[] = new Array(batch.length);
  const accepted = new Map<string, number>();
  await services.db.kysely.transaction().execute(async (tx) => {
    const allowed = await takeQuota(tx, batch, settings.dailyQuota);
    const burst = await burstCounts(
      tx,
      batch.filter((_, i) => allowed[i]),
    );
    const rows: Schema['reports'][] = [];
    const deltas = new Deltas();
    batch.forEach((p, i) => {
      if (!allowed[i]) {
        outcomes[i] = { quotaExceeded: true };
        return;
      }
      const key = `${p.report.cell9}|${p.report.hourBucket}`;
      const inCell = (burst.get(key) ?? 0) + 1;
      burst.set(key, inCell);
      const status: ReportStatus = inCell > settings.burstThreshold ? 'held' : 'accepted';
      const id = randomUUID();
      rows.push(reportRow(p.report, id, status, false));
      if (status === 'accepted') {
        deltas.add(p.report);
        accepted.set(p.report.territoryCode, (accepted.get(p.report.territoryCode) ?? 0) + 1);
      }
      outcomes[i] = { id, status };
    });
    await insertReports(tx, rows);
    await applyDeltas(tx, deltas);
  });
  for (const [code, count] of accepted) await services.bus.publish(acceptedTopic(code), { count });
  return outcomes;
}

/**
 * Counts each report against its account's daily quota; returns which may be stored. One
 * upsert per batch; the row lock taken by the upsert makes concurrent instances agree.
 */
async function takeQuota(tx: K, batch: Pending[], limit: number): Promise<boolean[]> {
  const perKey = new Map<string, { day: string; m: number }>();
  for (const p of batch) {
    const entry = perKey.get(p.quota.key);
    if (entry) entry.m += 1;
    else perKey.set(p.quota.key, { day: p.quota.day, m: 1 });
  }
  const values = [...perKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, { day, m }]) => ({ key, day, n: m }));
  const after = await tx
    .insertInto('report_quota')
    .values(values)
    .onConflict((oc) => oc.column('key').doUpdateSet({ n: sql`report_quota.n + excluded.n` }))
    .returning(['key', 'n'])
    .execute();
  const room = new Map<string, number>();
  for (const row of after) {
    const before = Number(row.n) - (perKey.get(row.key)?.m ?? 0);
    room.set(row.key, Math.max(0, limit - before));
  }
  return batch.map((p) => {
    const left = room.get(p.quota.key) ?? 0;
    room.set(p.quota.key, left - 1);
    return left > 0;
  });
}

/** Reports already stored per (resolution-9 cell, hour) for the cells and hours of the batch. */
async function burstCounts(tx: K, batch: Pending[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (batch.length === 0) return out;
  const cells = [...new Set(batch.map((p) => p.report.cell9))];
  const hours = [...new Set(batch.map((p) => p.report.hourBucket))];
  const rows = await tx
    .selectFrom('reports')
    .select(['cell9', 'hour_bucket', sql<number>`count(*)`.as('n')])
    .where('cell9', 'in', cells)
    .where('hour_bucket', 'in', hours)
    .groupBy(['cell9', 'hour_bucket'])
    .execute();
  for (const r of rows) out.set(`${r.cell9}|${Number(r.hour_bucket)}`, Number(r.n));
  return out;
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
 * Bulk path (demo data, imports): no quota, no burst check, all accepted; same anonymized
 * records and same aggregates, in one transaction.
 */
export async function writeReportsBulk(
  services: Services,
  reports: AnonymousReport[],
  options: { synthetic: boolean },
): Promise<number> {
  const deltas = new Deltas();
  const rows = reports.map((r) => {
    deltas.add(r);
    return reportRow(r, randomUUID(), 'accepted', options.synthetic);
  });
  await services.db.kysely.transaction().execute(async (tx) => {
    await insertReports(tx, rows);
    await applyDeltas(tx, deltas);
  });
  const perTerritory = new Map<string, number>();
  for (const r of reports) perTerritory.set(r.territoryCode, (perTerritory.get(r.territoryCode) ?? 0) + 1);
  for (const [code, count] of perTerritory) await services.bus.publish(acceptedTopic(code), { count });
  return rows.length;
}
