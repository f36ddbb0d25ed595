/**
 * Burst counters: how many reports are stored per (H3 cell at resolution 9, hour of
 * occurrence), for the hours a new report may still fall into. The group commit (batch.ts,
 * batch-sqlite.ts) reads a cell's counter to decide whether the next report there is held.
 *
 * Why a table rather than `count(*)` on `reports`: the count grows with every report of the
 * cell and hour, and a flood is exactly when it is asked most. On PostgreSQL it grew from 5 to
 * 57 ms per batch within a minute of the intake benchmark (`npm run bench -- intake`), and the
 * batch's transaction, serialised on the cell, waited for it.
 *
 * The counters mirror `count(*)`: every path that stores a report adds to them (group commit,
 * bulk writes), rejecting a held report subtracts from them, and the retention job forgets
 * hours older than the window (no report can be sent for them any more: `maxAgeDays`).
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { REPORT_LIMITS } from '../shared/reports.ts';
import { DAY_MS, floorHour } from './local-time.ts';

/** Key of one counter: a cell and an hour (also the burst lock's key on PostgreSQL: batch.ts). */
export const burstKey = (cell9: string, hourBucket: number) => `${cell9}|${hourBucket}`;

/** Counters are kept for hours from `now − window`: a day more than the oldest report allowed. */
export const burstWindowStart = (now: number): number =>
  floorHour(now - (REPORT_LIMITS.maxAgeDays + 1) * DAY_MS);

export interface BurstAddition {
  cell9: string;
  hour_bucket: number;
  n: number;
}

/**
 * What `rows` add to the counters, one entry per (cell, hour) from the hour `from` on (bulk
 * writes of old reports: `burstWindowStart(now)`; the group commit's reports are all recent).
 */
export function burstAdditions(
  rows: { cell9: string; hour_bucket: number }[],
  from = Number.NEGATIVE_INFINITY,
): BurstAddition[] {
  const byKey = new Map<string, BurstAddition>();
  for (const { cell9, hour_bucket } of rows) {
    if (hour_bucket < from) continue;
    const key = burstKey(cell9, hour_bucket);
    const entry = byKey.get(key);
    if (entry) entry.n += 1;
    else byKey.set(key, { cell9, hour_bucket, n: 1 });
  }
  // One lock order for every writer: cell, then hour.
  return [...byKey.values()].sort((a, b) =>
    a.cell9 < b.cell9 ? -1 : a.cell9 > b.cell9 ? 1 : a.hour_bucket - b.hour_bucket,
  );
}

/** Adds `additions` to the counters (Kysely: bulk writes; the group commit has its own statements). */
export async function addToBursts(db: Kysely<Schema>, additions: BurstAddition[]): Promise<void> {
  for (let i = 0; i < additions.length; i += 1000) {
    await db
      .insertInto('report_bursts')
      .values(additions.slice(i, i + 1000))
      .onConflict((oc) =>
        oc
          .columns(['cell9', 'hour_bucket'])
          .doUpdateSet((eb) => ({ n: eb('report_bursts.n', '+', eb.ref('excluded.n')) })),
      )
      .execute();
  }
}

/** One stored report fewer in its cell and hour (a held report rejected). */
export async function subtractFromBurst(
  db: Kysely<Schema>,
  cell9: string,
  hourBucket: number,
): Promise<void> {
  await db
    .updateTable('report_bursts')
    .set((eb) => ({ n: eb('n', '-', 1) }))
    .where('cell9', '=', cell9)
    .where('hour_bucket', '=', hourBucket)
    .execute();
}

/** Forgets the hours no report can be sent for any more. Returns how many counters. */
export async function purgeBursts(db: Kysely<Schema>, now: number): Promise<number> {
  const result = await db
    .deleteFrom('report_bursts')
    .where('hour_bucket', '<', burstWindowStart(now))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
