/**
 * Retention: reports older than HAVRE_REPORT_RETENTION_MONTHS are deleted with their
 * contribution to the aggregates; quota rows of past days and idempotency keys older than two
 * days are purged.
 *
 * Aggregates are exact per hour (level 0). Buckets of a coarser level that lie entirely
 * before the cutoff are dropped; the one bucket per level that straddles the cutoff is
 * rebuilt from the level below (already cut), so every level stays exactly the sum of the
 * reports kept.
 */
import { type Kysely, sql } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { type JobSpec, type Scheduler, startScheduler } from '../jobs/scheduler.ts';
import type { Services } from '../server/services.ts';
import { REPORT_CATEGORIES } from '../shared/reports.ts';
import { ALL } from './aggregates.ts';
import { purgeIdempotencyKeys } from './idempotency.ts';
import { floorHour, HOUR_MS } from './local-time.ts';
import { purgeQuota } from './quota.ts';
import { reportSettings } from './settings.ts';
import { bucketStart, LEVEL_HOURS, type Level } from './window.ts';

type K = Kysely<Schema>;
const CATEGORY_KEYS = [ALL, ...REPORT_CATEGORIES];

/** Start of the oldest hour that is kept. */
export function retentionCutoff(now: number, months: number): number {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return floorHour(d.getTime());
}

async function cutAggregates(tx: K, territoryCode: string, cutoff: number): Promise<void> {
  const counts = () =>
    tx
      .deleteFrom('report_counts')
      .where('territory_code', '=', territoryCode)
      .where('category', 'in', CATEGORY_KEYS);
  await counts().where('level', '=', 0).where('bucket', '<', cutoff).execute();
  for (let level = 1; level < LEVEL_HOURS.length; level++) {
    const size = LEVEL_HOURS[level] * HOUR_MS;
    const straddling = bucketStart(cutoff, level as Level);
    await counts().where('level', '=', level).where('bucket', '<', straddling).execute();
    if (straddling === cutoff) continue;
    await counts().where('level', '=', level).where('bucket', '=', straddling).execute();
    await tx
      .insertInto('report_counts')
      .columns(['territory_code', 'level', 'category', 'bucket', 'cell', 'n'])
      .expression(
        tx
          .selectFrom('report_counts')
          .select([
            'territory_code',
            sql<number>`${level}`.as('level'),
            'category',
            sql<number>`${straddling}`.as('bucket'),
            'cell',
            sql<number>`sum(n)`.as('n'),
          ])
          .where('territory_code', '=', territoryCode)
          .where('level', '=', level - 1)
          .where('category', 'in', CATEGORY_KEYS)
          .where('bucket', '>=', straddling)
          .where('bucket', '<', straddling + size)
          .groupBy(['territory_code', 'category', 'cell']),
      )
      .execute();
  }
  await tx
    .deleteFrom('report_hour_counts')
    .where('territory_code', '=', territoryCode)
    .where('category', 'in', CATEGORY_KEYS)
    .where('hour_bucket', '<', cutoff)
    .execute();
}

export async function purgeExpiredReports(
  services: Services,
): Promise<{ reports: number; quotaRows: number; idempotencyKeys: number; cutoff: string }> {
  const now = services.clock.now();
  const cutoff = retentionCutoff(now, services.config.reportRetentionMonths);
  const db = services.db.kysely;
  const reports = await db.transaction().execute(async (tx) => {
    if (services.db.dialect === 'postgres') {
      // Writers wait for the few milliseconds of the cut, so no increment lands in a
      // bucket while it is being rebuilt.
      await sql`lock table report_counts, report_hour_counts in share row exclusive mode`.execute(tx);
    }
    const deleted = await tx.deleteFrom('reports').where('hour_bucket', '<', cutoff).executeTakeFirst();
    // Aggregates of a deleted territory are unreachable (its routes answer 404): not cut.
    const territories = await tx.selectFrom('territories').select('code').execute();
    for (const { code } of territories) await cutAggregates(tx, code, cutoff);
    return Number(deleted.numDeletedRows);
  });
  const quotaRows = await purgeQuota(db, now);
  const idempotencyKeys = await purgeIdempotencyKeys(db, now);
  return { reports, quotaRows, idempotencyKeys, cutoff: new Date(cutoff).toISOString() };
}

/** The periodic jobs of reports, for the scheduler (one runner at a time under a lease). */
export function reportJobs(services: Services): JobSpec[] {
  return [
    {
      name: 'reports.retention',
      everyMs: reportSettings(services).retentionIntervalMs,
      async run(s) {
        const result = await purgeExpiredReports(s);
        if (result.reports || result.quotaRows || result.idempotencyKeys)
          s.log.info(result, 'reports retention');
      },
    },
  ];
}

/** Runs the retention job every hour on one instance. Stop it on shutdown. */
export function startReportJobs(services: Services): Scheduler {
  return startScheduler(services, reportJobs(services));
}
