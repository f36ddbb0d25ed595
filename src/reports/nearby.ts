/**
 * "Near me now" for a citizen: recent accepted reports in the resolution-9 cell of the
 * point and in the two rings around it (H3 grid distance 1 and 2), each band reported only
 * when it reaches k — else "fewer than k", never the exact small number. Bands do not
 * overlap, so no exact small count can be derived by subtraction between them.
 *
 * Time is in whole hours, like everything read from reports (privacy rule 1: a report keeps
 * only the hour it happened in): "the last N minutes" is the hour buckets those minutes
 * touch, [since, until), both on the hour, and the answer says so. Any request within one
 * hour with the same N reads the same buckets.
 * The position is used for this answer only: never logged, never stored.
 */
import { gridDiskDistances, latLngToCell } from 'h3-js';
import { sql } from 'kysely';
import type { Services } from '../server/services.ts';
import { NEARBY } from '../shared/reports.ts';
import { floorHour, HOUR_MS } from './local-time.ts';
import { kOf } from './settings.ts';

export async function nearbyCounts(services: Services, lat: number, lon: number, minutes: number) {
  const k = kOf(services);
  const bands = gridDiskDistances(latLngToCell(lat, lon, 9), NEARBY.rings);
  const now = services.clock.now();
  const since = floorHour(now - minutes * 60_000);
  const until = floorHour(now) + HOUR_MS;
  const rows = await services.db.kysely
    .selectFrom('reports')
    .select(['cell9', sql<number>`count(*)`.as('n')])
    .where('cell9', 'in', bands.flat())
    .where('hour_bucket', '>=', since)
    .where('hour_bucket', '<', until)
    .where('status', '=', 'accepted')
    .groupBy('cell9')
    .execute();
  const perCell = new Map(rows.map((r) => [r.cell9, Number(r.n)]));
  return {
    k,
    minutes,
    since: new Date(since).toISOString(),
    until: new Date(until).toISOString(),
    hours: (until - since) / HOUR_MS,
    rings: bands.map((cells, ring) => {
      const n = cells.reduce((s, c) => s + (perCell.get(c) ?? 0), 0);
      return { ring, cells, count: n >= k ? n : null, fewerThanK: n < k };
    }),
  };
}
