/**
 * Coverage gaps: where reports happen and no refuge is open within walking distance at the
 * hours they happen — where a city should recruit venues next. Reads accepted reports per
 * (cell, hour) — the hour is needed to know whether a refuge was open, and the aggregates
 * keep only weeks — tests each against the places index, and shows only what passes the k
 * rule exactly like the heatmap: over whole UTC weeks, each week folded on its own
 * (src/reports/release.ts), so no difference of two windows reveals a count below k.
 */
import { cellToBoundary, cellToLatLng } from 'h3-js';
import { sql } from 'kysely';
import { windowFields } from '../reports/heatmap.ts';
import { releaseBlocks } from '../reports/release.ts';
import { kOf } from '../reports/settings.ts';
import { type WeekWindow, weekStart } from '../reports/window.ts';
import type { Services } from '../server/services.ts';
import { placesIndex } from './live-index.ts';

const HOUR = 3_600_000;

export interface CoverageOptions {
  window: WeekWindow; // whole UTC weeks
  walkM: number; // walking distance to a refuge, in metres (default 300)
}

export interface CoverageGaps {
  cells: { cell: string; resolution: number; uncovered: number }[];
  /** Reports in the window (all cells). */
  total: number;
  /** Reports with no open refuge within walkM at their hour, shown or not. */
  uncovered: number;
  /** Part of `uncovered` below k in every cell: counted here, shown nowhere. */
  hidden: number;
  k: number;
}

export async function coverageGaps(
  services: Services,
  territoryCode: string,
  options: CoverageOptions,
): Promise<CoverageGaps> {
  const rows = await services.db.kysely
    .selectFrom('reports')
    .select(['cell9', 'hour_bucket', sql<number>`count(*)`.as('n')])
    .where('status', '=', 'accepted')
    .where('territory_code', '=', territoryCode)
    .where('hour_bucket', '>=', options.window.from)
    .where('hour_bucket', '<', options.window.to)
    .groupBy(['cell9', 'hour_bucket'])
    .execute();
  const index = await placesIndex(services);
  const km = options.walkM / 1000;
  const centres = new Map<string, [number, number]>();
  /** Week start → cell → reports without an open refuge: the release blocks. */
  const uncovered = new Map<number, Map<string, number>>();
  let total = 0;
  let uncoveredTotal = 0;
  for (const row of rows) {
    const n = Number(row.n);
    if (n <= 0) continue;
    total += n;
    let centre = centres.get(row.cell9);
    if (!centre) {
      centre = cellToLatLng(row.cell9);
      centres.set(row.cell9, centre);
    }
    // The middle of the hour the reports fall in.
    const hour = Number(row.hour_bucket);
    if (!index.hasOpenWithin(centre[0], centre[1], km, hour + HOUR / 2)) {
      const week = weekStart(hour);
      let cells = uncovered.get(week);
      if (!cells) {
        cells = new Map();
        uncovered.set(week, cells);
      }
      cells.set(row.cell9, (cells.get(row.cell9) ?? 0) + n);
      uncoveredTotal += n;
    }
  }
  const k = kOf(services);
  const folded = releaseBlocks(uncovered.values(), { k });
  const cells = folded.cells
    .map((c) => ({ cell: c.cell, resolution: c.resolution, uncovered: c.count }))
    .sort((a, b) => b.uncovered - a.uncovered || (a.cell < b.cell ? -1 : 1));
  return { cells, total, uncovered: uncoveredTotal, hidden: folded.hidden, k };
}

/** The gaps as a GeoJSON layer, ranked (first = most reports without a refuge). */
export function presentCoverageGaps(gaps: CoverageGaps, territory: string, options: CoverageOptions) {
  return {
    type: 'FeatureCollection' as const,
    territory,
    ...windowFields(options.window),
    walkM: options.walkM,
    k: gaps.k,
    total: gaps.total,
    uncovered: gaps.uncovered,
    hidden: gaps.hidden,
    features: gaps.cells.map((c, rank) => ({
      type: 'Feature' as const,
      id: c.cell,
      geometry: { type: 'Polygon' as const, coordinates: [cellToBoundary(c.cell, true)] },
      properties: { rank: rank + 1, cell: c.cell, resolution: c.resolution, uncovered: c.uncovered },
    })),
  };
}
