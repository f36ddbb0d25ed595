/**
 * Moderation of held reports (bursts in one cell and hour). A held report is counted in
 * its territory's total but in no aggregate; accepting adds it to the aggregates (and the
 * live feed), rejecting deletes it (and takes it out of its burst counter: bursts.ts).
 */
import { sql } from 'kysely';
import { fail } from '../server/errors.ts';
import type { Services } from '../server/services.ts';
import { applyDeltas, Deltas } from './aggregates.ts';
import { subtractFromBurst } from './bursts.ts';
import { acceptedTopic } from './writer.ts';

export async function listHeldReports(services: Services, limit: number) {
  const db = services.db.kysely;
  const rows = await db
    .selectFrom('reports')
    .select(['id', 'territory_code', 'category', 'role', 'cell9', 'hour_bucket', 'day', 'description'])
    .where('status', '=', 'held')
    .orderBy('hour_bucket', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
  if (rows.length === 0) return [];
  // How many reports share each held report's cell and hour: the size of the burst.
  const bursts = await db
    .selectFrom('reports')
    .select(['cell9', 'hour_bucket', sql<number>`count(*)`.as('n')])
    .where('cell9', 'in', [...new Set(rows.map((r) => r.cell9))])
    .where('hour_bucket', 'in', [...new Set(rows.map((r) => r.hour_bucket))])
    .groupBy(['cell9', 'hour_bucket'])
    .execute();
  const burst = new Map(bursts.map((b) => [`${b.cell9}|${Number(b.hour_bucket)}`, Number(b.n)]));
  return rows.map((r) => ({
    id: r.id,
    territoryCode: r.territory_code,
    category: r.category,
    role: r.role,
    cell: r.cell9,
    hour: new Date(r.hour_bucket).toISOString(),
    day: r.day,
    description: r.description,
    burst: burst.get(`${r.cell9}|${Number(r.hour_bucket)}`) ?? 1,
  }));
}

async function requireHeld(services: Services, id: string): Promise<void> {
  const row = await services.db.kysely
    .selectFrom('reports')
    .select('status')
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) fail('NOT_FOUND', 'No such report');
  fail('REPORT_NOT_HELD');
}

export async function acceptHeldReport(services: Services, id: string): Promise<void> {
  const accepted = await services.db.kysely.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable('reports')
      .set({ status: 'accepted' })
      .where('id', '=', id)
      .where('status', '=', 'held')
      .returning(['territory_code', 'category', 'cell9', 'hour_bucket', 'iso_week', 'hour_of_day', 'weekday'])
      .executeTakeFirst();
    if (!row) return null;
    const deltas = new Deltas();
    deltas.add({
      territoryCode: row.territory_code,
      category: row.category,
      cell9: row.cell9,
      hourBucket: Number(row.hour_bucket),
      isoWeek: row.iso_week,
      hourOfDay: row.hour_of_day,
      weekday: row.weekday,
    });
    await applyDeltas(tx, deltas);
    return row.territory_code;
  });
  if (!accepted) return requireHeld(services, id);
  await services.bus.publish(acceptedTopic(accepted), { count: 1 }).catch((err) => {
    services.log.warn({ err, territory: accepted }, 'live feed notification failed');
  });
}

export async function rejectHeldReport(services: Services, id: string): Promise<void> {
  const rejected = await services.db.kysely.transaction().execute(async (tx) => {
    const row = await tx
      .deleteFrom('reports')
      .where('id', '=', id)
      .where('status', '=', 'held')
      .returning(['cell9', 'hour_bucket'])
      .executeTakeFirst();
    if (row) await subtractFromBurst(tx, row.cell9, Number(row.hour_bucket));
    return row;
  });
  if (!rejected) return requireHeld(services, id);
}
