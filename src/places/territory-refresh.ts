/**
 * A place's territory is computed when it is stored (application, import); territories change
 * later. After an import or a deletion of territories, the places they may have moved get their
 * territory again: a venue that applied before its town joined Havre reaches that town's review
 * queue, and none keeps the code of a territory that no longer exists.
 */
import type { Services } from '../server/services.ts';
import { territoryLookup } from '../territories/registry.ts';
import { placesChanged } from './live-index.ts';

/** [minLon, minLat, maxLon, maxLat]. */
export type Area = [number, number, number, number];

/** Rows updated per statement (well under SQLite's and PostgreSQL's parameter limits). */
const CHUNK = 500;

/**
 * Gives a territory again to the places inside `area` (the boxes of the territories imported,
 * before and after: a place can only enter or leave a territory there) and to every place whose
 * territory is gone; null after a deletion. Call after `territoriesChanged`, so that the lookup
 * is read afresh. Returns how many places changed territory.
 */
export async function refreshPlaceTerritories(services: Services, area: Area | null): Promise<number> {
  const k = services.db.kysely;
  // One read of the candidates (no index on the position: one scan of the table, not one per
  // territory), then the in-memory lookup decides; only the places that moved are written.
  const rows = await k
    .selectFrom('places')
    .select(['id', 'lat', 'lon', 'territory_code'])
    .where((eb) => {
      const gone = eb('territory_code', 'not in', eb.selectFrom('territories').select('code'));
      if (!area) return gone;
      const [minLon, minLat, maxLon, maxLat] = area;
      return eb.or([
        eb.and([
          eb('lat', '>=', minLat),
          eb('lat', '<=', maxLat),
          eb('lon', '>=', minLon),
          eb('lon', '<=', maxLon),
        ]),
        gone,
      ]);
    })
    .execute();
  const lookup = await territoryLookup(services);
  const moves = new Map<string | null, string[]>();
  for (const row of rows) {
    const code = lookup.find(row.lat, row.lon);
    if (code === row.territory_code) continue;
    const ids = moves.get(code);
    if (ids) ids.push(row.id);
    else moves.set(code, [row.id]);
  }
  if (moves.size === 0) return 0;
  const now = services.clock.now();
  let moved = 0;
  await k.transaction().execute(async (tx) => {
    for (const [code, ids] of moves) {
      for (let start = 0; start < ids.length; start += CHUNK) {
        const chunk = ids.slice(start, start + CHUNK);
        await tx
          .updateTable('places')
          .set({ territory_code: code, updated_at: now })
          .where('id', 'in', chunk)
          .execute();
        moved += chunk.length;
      }
    }
  });
  await placesChanged(services);
  return moved;
}

/** The smallest box holding all the given ones, or null for none. */
export function unionOf(boxes: Area[]): Area | null {
  if (boxes.length === 0) return null;
  const out: Area = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [minLon, minLat, maxLon, maxLat] of boxes) {
    out[0] = Math.min(out[0], minLon);
    out[1] = Math.min(out[1], minLat);
    out[2] = Math.max(out[2], maxLon);
    out[3] = Math.max(out[3], maxLat);
  }
  return out;
}
