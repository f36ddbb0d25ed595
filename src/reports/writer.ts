/**
 * Durable, fast intake: group commit. Reports arriving while a transaction is being
 * written wait in a queue; the next transaction takes them all (up to `maxBatch`) and
 * writes reports, quotas and aggregates in ONE commit (SQLite synchronous=FULL, PostgreSQL
 * synchronous_commit=on). Each request is answered only after its commit: nothing
 * acknowledged is ever lost, and N reports cost one fsync instead of N.
 */
import { randomUUID } from 'node:crypto';
import type { Services } from '../server/services.ts';
import { applyDeltas, Deltas } from './aggregates.ts';
import type { AnonymousReport } from './anonymize.ts';
import {
  type BatchItem,
  insertReports,
  type QuotaTicket,
  reportRow,
  type WriteOutcome,
  writeBatchPostgres,
} from './batch.ts';
import { writeBatchSqlite } from './batch-sqlite.ts';
import { reportSettings } from './settings.ts';

export type { QuotaTicket, WriteOutcome } from './batch.ts';

interface Pending extends BatchItem {
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

  /** `idempotency`: HMAC of the device's key for this report (idempotency.ts), or null. */
  submit(
    report: AnonymousReport,
    quota: QuotaTicket,
    idempotency: string | null = null,
  ): Promise<WriteOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ report, quota, idempotency, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    // One tick: everything that arrives in this turn of the event loop joins the batch.
    setImmediate(() => {
      this.scheduled = false;
      this.running = this.run().finally(() => {
        this.running = null;
        // A report submitted after the last batch was taken, while `running` was still set.
        if (this.queue.length) this.kick();
      });
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
  const { db } = services;
  const { dailyQuota, burstThreshold } = reportSettings(services);
  const limits = { dailyQuota, burstThreshold };
  const sqlite = db.sqlite;
  const plan = sqlite
    ? await db.kysely.connection().execute(async () => writeBatchSqlite(sqlite, batch, limits))
    : await writeBatchPostgres(db.kysely, batch, limits);
  // Committed: the reports are saved whatever happens to the live feed. A bus failure must not
  // turn into an error the client would retry (and so duplicate its report).
  for (const [code, { count, held }] of plan.shown) {
    await services.bus.publish(acceptedTopic(code), held ? { count, held } : { count }).catch((err) => {
      services.log.warn({ err, territory: code }, 'live feed notification failed');
    });
  }
  return plan.outcomes;
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
