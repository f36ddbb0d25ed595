/** The area of a city action while it is edited: polygon corners, or H3 cells. Pure. */
import type { Polygon } from 'geojson';
import type { ActionFeature } from '../reports/api.ts';
import type { ActionArea } from './api.ts';

export type Vertex = [number, number]; // [lon, lat]

export type AreaDraft = { mode: 'polygon'; vertices: Vertex[] } | { mode: 'cells'; cells: string[] };

export const EMPTY_AREA: AreaDraft = { mode: 'polygon', vertices: [] };

export const isComplete = (area: AreaDraft) =>
  area.mode === 'polygon' ? area.vertices.length >= 3 : area.cells.length >= 1;

const round = (v: number) => Math.round(v * 1e6) / 1e6;

/** What the API takes: a closed GeoJSON ring, or the list of cells. */
export function toApiArea(area: AreaDraft): ActionArea {
  if (area.mode === 'cells') return area.cells;
  const ring = area.vertices.map(([lon, lat]) => [round(lon), round(lat)]);
  return { type: 'Polygon', coordinates: [[...ring, ring[0]]] };
}

export function fromAction(action: ActionFeature): AreaDraft {
  if (action.properties.areaKind === 'cells' && action.properties.cells) {
    return { mode: 'cells', cells: action.properties.cells };
  }
  const geometry = action.geometry as Polygon;
  const ring = (geometry.coordinates?.[0] ?? []) as Vertex[];
  return { mode: 'polygon', vertices: ring.slice(0, -1).map(([lon, lat]) => [lon, lat]) };
}

/** The GeoJSON text alternative (keyboard users): a Polygon, or a JSON array of cell ids. */
export function areaText(area: AreaDraft): string {
  if (area.mode === 'cells') return JSON.stringify(area.cells);
  if (area.vertices.length === 0) return '';
  return JSON.stringify(toApiArea(area));
}

export function parseAreaText(text: string): AreaDraft | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((c) => typeof c === 'string' && /^[0-9a-f]{15}$/i.test(c))
  ) {
    return { mode: 'cells', cells: value as string[] };
  }
  const polygon = value as { type?: unknown; coordinates?: unknown };
  if (polygon?.type !== 'Polygon' || !Array.isArray(polygon.coordinates)) return null;
  const ring = polygon.coordinates[0];
  if (!Array.isArray(ring) || ring.length < 4) return null;
  const vertices: Vertex[] = [];
  for (const point of ring.slice(0, -1)) {
    if (
      !Array.isArray(point) ||
      !point.slice(0, 2).every((n) => typeof n === 'number' && Number.isFinite(n))
    ) {
      return null;
    }
    vertices.push([point[0], point[1]]);
  }
  return { mode: 'polygon', vertices };
}
