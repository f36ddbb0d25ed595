/**
 * Retention: reports older than HAVRE_REPORT_RETENTION_MONTHS are deleted with their
 * contribution to the aggregates; quota rows of past days and idempotency keys older than two
 * days are purged.
 *
 * Week rows of `report_counts` that lie entirely before the cutoff are dropped; from the
 * week that straddles the cutoff, the contribution of the reports deleted is subtracted
 * (`Deltas` with sign −1), so every row stays exactly the sum of the reports kept. Hour rows
 * of `report_hour_counts` before the cutoff are dropped.
 */
import { type Kysely, sql } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { type JobSpec, type Scheduler, startScheduler } from '../jobs/scheduler.ts';
import type { Services } from '../server/services.ts';
import { REPORT_CATEGORIES } from '../shared/reports.ts';
import { ALL, addCountDeltas, Deltas, upsertCounts } from './aggregates.ts';
import { purgeBursts } from './bursts.ts';
import { purgeIdempotencyKeys } from './idempotency.ts';
import { floorHour } from './local-time.ts';
import { purgeQuota } from './quota.ts';
import { reportSettings } from './settings.ts';
import { weekStart } from './window.ts';

type K = Kysely<Schema>;
const CATEGORY_KEYS = [ALL, ...REPORT_CATEGORIES];

/** Start of the oldest hour that is kept. */
export function retentionCutoff(now: number, months: number): number {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return floorHour(d.getTime());
}

async function cutAggregates(tx: K, territoryCode: string, cutoff: number): Promise<void> {
  const straddling = weekStart(cutoff);
  const leaving = await tx
    .selectFrom('reports')
    .select(['territory_code', 'category', 'cell9', 'hour_bucket'])
    .where('status', '=', 'accepted')
    .where('territory_code', '=', territoryCode)
    .where('hour_bucket', '>=', straddling)
    .where('hour_bucket', '<', cutoff)
    .execute();
  if (leaving.length > 0) await upsertCounts(tx, addCountDeltas(leaving, -1, new Deltas()));
  await tx
    .deleteFrom('report_counts')
    .where('territory_code', '=', territoryCode)
    .where('category', 'in', CATEGORY_KEYS)
    .where((eb) =>
      eb.or([eb('bucket', '<', straddling), eb.and([eb('bucket', '=', straddling), eb('n', '<=', 0)])]),
    )
    .execute();
  await tx
    .deleteFrom('report_hour_counts')
    .where('territory_code', '=', territoryCode)
    .where('category', 'in', CATEGORY_KEYS)
    .where('hour_bucket', '<', cutoff)
    .execute();
}

export async function purgeExpiredReports(services: Services): Promise<{
  reports: number;
  quotaRows: number;
  idempotencyKeys: number;
  burstCounters: number;
  cutoff: string;
}> {
  const now = services.clock.now();
  const cutoff = retentionCutoff(now, services.config.reportRetentionMonths);
  const db = services.db.kysely;
  const reports = await db.transaction().execute(async (tx) => {
    if (services.db.dialect === 'postgres') {
      // Writers wait for the few milliseconds of the cut, so no increment lands in a
      // week row while the reports leaving it are subtracted.
      await sql`lock table report_counts, report_hour_counts in share row exclusive mode`.execute(tx);
    }
    // Aggregates of a deleted territory are unreachable (its routes answer 404): not cut.
    // They are cut first: the reports leaving the straddling week are read to subtract them.
    const territories = await tx.selectFrom('territories').select('code').execute();
    for (const { code } of territories) await cutAggregates(tx, code, cutoff);
    const deleted = await tx.deleteFrom('reports').where('hour_bucket', '<', cutoff).executeTakeFirst();
    return Number(deleted.numDeletedRows);
  });
  const quotaRows = await purgeQuota(db, now);
  const idempotencyKeys = await purgeIdempotencyKeys(db, now);
  const burstCounters = await purgeBursts(db, now);
  return { reports, quotaRows, idempotencyKeys, burstCounters, cutoff: new Date(cutoff).toISOString() };
}

/** The periodic jobs of reports, for the scheduler (one runner at a time under a lease). */
export function reportJobs(services: Services): JobSpec[] {
  return [
    {
      name: 'reports.retention',
      everyMs: reportSettings(services).retentionIntervalMs,
      async run(s) {
        const result = await purgeExpiredReports(s);
        if (result.reports || result.quotaRows || result.idempotencyKeys || result.burstCounters)
          s.log.info(result, 'reports retention');
      },
    },
  ];
}

/** Runs the retention job every hour on one instance. Stop it on shutdown. */
export function startReportJobs(services: Services): Scheduler {
  return startScheduler(services, reportJobs(services));
}
