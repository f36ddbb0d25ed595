/**
 * Coverage gaps: where reports happen and no refuge is open within walking distance at the
 * hours they happen — where a city should recruit venues next. Reads the reports'
 * hourly pre-aggregates (never single reports), tests each (cell, hour) against the places
 * index, and shows only what passes the k rule (privacy rule 3: folded like the heatmap).
 */
import { cellToBoundary, cellToLatLng } from 'h3-js';
import { foldCells } from '../reports/fold.ts';
import { kOf } from '../reports/settings.ts';
import type { Services } from '../server/services.ts';
import { placesIndex } from './live-index.ts';

const HOUR = 3_600_000;

export interface CoverageOptions {
  from: number; // window start, epoch ms (rounded down to the hour)
  to: number; // window end, epoch ms (rounded up to the hour)
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
  const from = Math.floor(options.from / HOUR) * HOUR;
  const to = Math.ceil(options.to / HOUR) * HOUR;
  const rows = await services.db.kysely
    .selectFrom('report_counts')
    .select(['cell', 'bucket', 'n'])
    .where('territory_code', '=', territoryCode)
    .where('level', '=', 0)
    .where('category', '=', '*')
    .where('cell', '!=', '')
    .where('bucket', '>=', from)
    .where('bucket', '<', to)
    .orderBy('bucket')
    .execute();
  const index = await placesIndex(services);
  const km = options.walkM / 1000;
  const centres = new Map<string, [number, number]>();
  const uncovered = new Map<string, number>();
  let total = 0;
  let uncoveredTotal = 0;
  for (const row of rows) {
    const n = Number(row.n);
    if (n <= 0) continue;
    total += n;
    let centre = centres.get(row.cell);
    if (!centre) {
      centre = cellToLatLng(row.cell);
      centres.set(row.cell, centre);
    }
    // The middle of the hour the reports fall in.
    if (!index.hasOpenWithin(centre[0], centre[1], km, Number(row.bucket) + HOUR / 2)) {
      uncovered.set(row.cell, (uncovered.get(row.cell) ?? 0) + n);
      uncoveredTotal += n;
    }
  }
  const k = kOf(services);
  const folded = foldCells(uncovered, { k });
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
    from: new Date(options.from).toISOString(),
    to: new Date(options.to).toISOString(),
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
