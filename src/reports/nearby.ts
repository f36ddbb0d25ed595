/**
 * "Near me now" for a citizen: recent accepted reports in the resolution-9 cell of the
 * point and in the two rings around it (H3 grid distance 1 and 2). Bands do not overlap, so
 * no exact small count can be derived by subtraction between them.
 *
 * Time is in whole hours, like everything read from reports (privacy rule 1: a report keeps
 * only the hour it happened in): "the last N minutes" is the hour buckets those minutes
 * touch, [since, until), both on the hour, and the answer says so. The hour is the release
 * block here (release.ts): each band's count is taken hour by hour, an hour contributes only
 * where its band count reaches k, and the answer is the sum of the released hours — else
 * "fewer than k", never the exact small number. So asking for 30 then 90 minutes cannot
 * reveal the small count of the older hour: it adds either nothing or at least k.
 * The position is used for this answer only: never logged, never stored.
 */
import { gridDiskDistances, latLngToCell } from 'h3-js';
import { sql } from 'kysely';
import type { Services } from '../server/services.ts';
import { NEARBY } from '../shared/reports.ts';
import { floorHour, HOUR_MS } from './local-time.ts';
import { releasedCount } from './release.ts';
import { kOf } from './settings.ts';

export async function nearbyCounts(services: Services, lat: number, lon: number, minutes: number) {
  const k = kOf(services);
  const bands = gridDiskDistances(latLngToCell(lat, lon, 9), NEARBY.rings);
  const now = services.clock.now();
  const since = floorHour(now - minutes * 60_000);
  const until = floorHour(now) + HOUR_MS;
  const rows = await services.db.kysely
    .selectFrom('reports')
    .select(['cell9', 'hour_bucket', sql<number>`count(*)`.as('n')])
    .where('cell9', 'in', bands.flat())
    .where('hour_bucket', '>=', since)
    .where('hour_bucket', '<', until)
    .where('status', '=', 'accepted')
    .groupBy(['cell9', 'hour_bucket'])
    .execute();
  const bandOf = new Map(bands.flatMap((cells, ring) => cells.map((cell) => [cell, ring] as const)));
  // perHour[ring] : hour bucket → reports of that band in that hour
  const perHour = bands.map(() => new Map<number, number>());
  for (const row of rows) {
    const ring = bandOf.get(row.cell9);
    if (ring === undefined) continue;
    const hour = Number(row.hour_bucket);
    perHour[ring].set(hour, (perHour[ring].get(hour) ?? 0) + Number(row.n));
  }
  return {
    k,
    minutes,
    since: new Date(since).toISOString(),
    until: new Date(until).toISOString(),
    hours: (until - since) / HOUR_MS,
    rings: bands.map((cells, ring) => {
      let released = 0;
      for (const n of perHour[ring].values()) released += releasedCount(n, k);
      return { ring, cells, count: released > 0 ? released : null, fewerThanK: released === 0 };
    }),
  };
}
