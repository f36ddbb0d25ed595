/**
 * The heatmap of a territory: accepted reports per resolution-9 cell over a window of whole
 * UTC weeks (read from the pre-aggregates), each week folded under the k rule on its own and
 * the weeks summed (release.ts: no difference of two windows can show a count below k; the
 * folds of weeks that did not change are kept, released-weeks.ts),
 * presented as GeoJSON. Everything a municipality sees of places goes through
 * `territoryHeatmap`.
 */
import { cellToBoundary, cellToLatLng } from 'h3-js';
import type { Services } from '../server/services.ts';
import { readHeldCount } from './aggregates.ts';
import type { ShownCell } from './fold.ts';
import { sumReleased } from './release.ts';
import { releasedWeeks } from './released-weeks.ts';
import { kOf } from './settings.ts';
import { type WeekWindow, weekCount } from './window.ts';

export interface Heatmap {
  cells: ShownCell[];
  /** Every report of the window, held ones included. */
  total: number;
  /** Part of the total shown in no cell: below k at every resolution, or held for moderation. */
  hidden: number;
  /** Held for moderation (part of `hidden`). */
  held: number;
  k: number;
}

export async function territoryHeatmap(
  services: Services,
  territoryCode: string,
  window: WeekWindow,
  category?: string,
): Promise<Heatmap> {
  const k = kOf(services);
  const [weeks, held] = await Promise.all([
    releasedWeeks(services, territoryCode, window, k, category),
    readHeldCount(services.db.kysely, territoryCode, window, category),
  ]);
  const folded = sumReleased(weeks);
  return { cells: folded.cells, total: folded.total + held, hidden: folded.hidden + held, held, k };
}

/** What an answer says of its window: the weeks it covers. */
export const windowFields = (window: WeekWindow) => ({
  from: new Date(window.from).toISOString(),
  to: new Date(window.to).toISOString(),
  weeks: weekCount(window),
});

/** A shown cell as a GeoJSON Feature (RFC 7946: [lon, lat], closed ring). */
export function cellFeature(cell: ShownCell) {
  return {
    type: 'Feature' as const,
    id: cell.cell,
    geometry: { type: 'Polygon' as const, coordinates: [cellToBoundary(cell.cell, true)] },
    properties: { cell: cell.cell, resolution: cell.resolution, count: cell.count },
  };
}

export function presentHeatmap(heatmap: Heatmap, window: WeekWindow, territoryCode: string) {
  return {
    type: 'FeatureCollection' as const,
    features: heatmap.cells.map(cellFeature),
    territory: territoryCode,
    ...windowFields(window),
    total: heatmap.total,
    hidden: heatmap.hidden,
    held: heatmap.held,
    k: heatmap.k,
  };
}

/** CSV of the same aggregates: one line per shown cell, then the hidden part and the total. */
export function heatmapCsv(heatmap: Heatmap, window: WeekWindow): string {
  const from = new Date(window.from).toISOString();
  const to = new Date(window.to).toISOString();
  const lines = ['cell,resolution,count,center_lat,center_lon,from,to'];
  for (const c of heatmap.cells) {
    const [lat, lon] = cellToLatLng(c.cell);
    lines.push(`${c.cell},${c.resolution},${c.count},${lat.toFixed(5)},${lon.toFixed(5)},${from},${to}`);
  }
  lines.push(`hidden,,${heatmap.hidden},,,${from},${to}`);
  lines.push(`total,,${heatmap.total},,,${from},${to}`);
  return `${lines.join('\r\n')}\r\n`;
}
