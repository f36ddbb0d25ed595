/**
 * Durable, fast intake: group commit. Reports arriving while a transaction is being
 * written wait in a queue; the next transaction takes them all (up to `maxBatch`) and
 * writes reports, quotas and aggregates in ONE commit (SQLite synchronous=FULL, PostgreSQL
 * synchronous_commit=on). Each request is answered only after its commit: nothing
 * acknowledged is ever lost, and N reports cost one fsync instead of N.
 *
 * Where the commit runs (`BatchStore`):
 * - SQLite file and PostgreSQL: a worker thread with its own connection (batch-thread.ts); the
 *   event loop keeps parsing requests, which form the next batch, during the commit. SQLite:
 *   one batch at a time. PostgreSQL: `postgresInFlight` batches at once (settings.ts;
 *   batch.ts says what keeps concurrent batches correct).
 * - SQLite in memory (a second connection cannot open it): on the main connection.
 */
import { randomUUID } from 'node:crypto';
import { WorkerClient } from '../db/worker-client.ts';
import type { Services } from '../server/services.ts';
import { applyDeltas, Deltas } from './aggregates.ts';
import type { AnonymousReport } from './anonymize.ts';
import {
  type BatchItem,
  type BatchLimits,
  type BatchPlan,
  insertReports,
  type QuotaTicket,
  reportRow,
  type WriteOutcome,
} from './batch.ts';
import { writeBatchSqlite } from './batch-sqlite.ts';
import type { BatchThreadData } from './batch-thread.ts';
import { addToBursts, burstAdditions, burstWindowStart } from './bursts.ts';
import { reportSettings } from './settings.ts';

export type { QuotaTicket, WriteOutcome } from './batch.ts';

interface Pending extends BatchItem {
  resolve(outcome: WriteOutcome): void;
  reject(error: unknown): void;
}

/** What the caller needs of a committed batch. */
type Committed = Pick<BatchPlan, 'outcomes' | 'shown'>;

interface BatchStore {
  /** Batches that may be committing at once. */
  inFlight(): number;
  /** Commits one batch in one transaction; resolves once it is durable. */
  write(batch: BatchItem[], limits: BatchLimits): Promise<Committed>;
  close(): Promise<void>;
}

function batchStore(services: Services): BatchStore {
  const { db } = services;
  const sqlite = db.sqlite;
  if (sqlite?.memory) {
    return {
      inFlight: () => 1,
      // Holding Kysely's connection, so it never interleaves with a Kysely transaction.
      write: (batch, limits) =>
        db.kysely.connection().execute(async () => writeBatchSqlite(sqlite, batch, limits)),
      close: async () => {},
    };
  }
  const data: BatchThreadData = sqlite ? { path: sqlite.name } : (db.postgres as BatchThreadData);
  const worker = new WorkerClient(new URL('../db/ts-worker.mjs', import.meta.url), {
    module: new URL('./batch-thread.ts', import.meta.url).href,
    ...data,
  });
  return {
    inFlight: () => (sqlite ? 1 : reportSettings(services).postgresInFlight),
    // The items only: the structured clone must not carry the promises' callbacks.
    write: (batch, limits) =>
      worker.call<Committed>({
        batch: batch.map(({ report, quota, idempotency }) => ({ report, quota, idempotency })),
        limits,
      }),
    close: () => worker.close(),
  };
}

/** Topic of the live feed of a territory. The message says how many were accepted, nothing else. */
export const acceptedTopic = (territoryCode: string) => `reports.accepted.${territoryCode}`;

export class ReportWriter {
  private queue: Pending[] = [];
  private readonly writing = new Set<Promise<void>>();
  private scheduled = false;
  private readonly store: BatchStore;

  constructor(private readonly services: Services) {
    this.store = batchStore(services);
  }

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
    if (this.scheduled || this.writing.size >= this.store.inFlight()) return;
    this.scheduled = true;
    // One tick: everything that arrives in this turn of the event loop joins the batch.
    setImmediate(() => {
      this.scheduled = false;
      this.startBatches();
    });
  }

  private startBatches(): void {
    const { maxBatch } = reportSettings(this.services);
    const inFlight = this.store.inFlight();
    while (this.queue.length && this.writing.size < inFlight) {
      const batch = this.queue.splice(0, maxBatch);
      const writing: Promise<void> = this.write(batch).finally(() => {
        this.writing.delete(writing);
        // What arrived while every slot was taken forms the next batch.
        if (this.queue.length) this.kick();
      });
      this.writing.add(writing);
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    const { dailyQuota, burstThreshold } = reportSettings(this.services);
    let committed: Committed;
    try {
      committed = await this.store.write(batch, { dailyQuota, burstThreshold });
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    }
    // Committed: the reports are saved whatever happens to the live feed. A bus failure must not
    // turn into an error the client would retry (and so duplicate its report).
    for (const [code, { count, held }] of committed.shown) {
      await this.services.bus
        .publish(acceptedTopic(code), held ? { count, held } : { count })
        .catch((err) => {
          this.services.log.warn({ err, territory: code }, 'live feed notification failed');
        });
    }
    batch.forEach((p, i) => {
      p.resolve(committed.outcomes[i]);
    });
  }

  /** Resolves once every submitted report is committed (graceful shutdown). */
  async drain(): Promise<void> {
    while (this.writing.size || this.scheduled || this.queue.length) {
      if (this.writing.size) await Promise.all(this.writing);
      else await new Promise((r) => setImmediate(r));
    }
  }

  /** Drains, then ends the worker thread if there is one (it starts again if needed). */
  async close(): Promise<void> {
    await this.drain();
    await this.store.close();
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
    await addToBursts(tx, burstAdditions(rows, burstWindowStart(services.clock.now())));
    await applyDeltas(tx, deltas);
  });
  const perTerritory = new Map<string, number>();
  for (const r of reports) perTerritory.set(r.territoryCode, (perTerritory.get(r.territoryCode) ?? 0) + 1);
  for (const [code, count] of perTerritory) await services.bus.publish(acceptedTopic(code), { count });
  return rows.length;
}
