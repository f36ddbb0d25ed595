/**
 * Migration 0012: `report_counts` keeps one level, the UTC week (the dashboard's release
 * block, see release.ts). Rows of the former levels (1 h, 1 d, 8 d, 64 d) are dropped and the
 * week rows rebuilt from the accepted reports, through `Deltas` — the one place that decides
 * which rows a report makes. `report_hour_counts` is unchanged.
 */
import type { Kysely, Migration } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { addCountDeltas, Deltas, upsertCounts } from './aggregates.ts';

const PAGE = 10_000;

export async function rebuildWeekCounts(db: Kysely<Schema>): Promise<void> {
  await db.deleteFrom('report_counts').execute();
  const deltas = new Deltas();
  let after = '';
  for (;;) {
    // Keyset pages: a million reports never sit in memory at once, only their week rows.
    const page = await db
      .selectFrom('reports')
      .select(['id', 'territory_code', 'category', 'cell9', 'hour_bucket'])
      .where('status', '=', 'accepted')
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    addCountDeltas(page, 1, deltas);
    if (page.length < PAGE) break;
    after = page[page.length - 1].id;
  }
  await upsertCounts(db, deltas);
}

const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await rebuildWeekCounts(db as Kysely<Schema>);
  },
};

export default migration;
