/**
 * City actions: what a municipality did on an area of its territory (new lighting, patrols,
 * a partner venue…), so that reporters see that reports lead somewhere. The area is a
 * GeoJSON Polygon inside the territory, or a list of H3 cells of the territory.
 * The author is kept for accountability (who published what), exported with the author's
 * data and detached when that account is erased; it is never shown publicly.
 */
import { randomUUID } from 'node:crypto';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { cellsToMultiPolygon, cellToLatLng, getResolution, isValidCell } from 'h3-js';
import type { Kysely } from 'kysely';
import { registerPersonalData } from '../accounts/personal-data.ts';
import type { Schema } from '../db/schema.ts';
import { fail } from '../server/errors.ts';
import { ACTION_LIMITS } from '../shared/reports.ts';
import { asBoundary, type Boundary, bboxOf, InvalidGeometry, type Polygon } from '../territories/geojson.ts';

type K = Kysely<Schema>;
type Row = Schema['city_actions'];

export type ActionArea = { type: 'Polygon'; coordinates: number[][][] } | string[];

export interface ActionInput {
  title: string;
  text: string;
  date: string;
  area: ActionArea;
}

/** Validates the area against the territory and returns what is stored and drawn. */
export function resolveArea(area: ActionArea, territory: Boundary) {
  const inside = ([lon, lat]: number[]) => booleanPointInPolygon([lon, lat], territory);
  if (Array.isArray(area)) {
    const cells = [...new Set(area)];
    if (cells.length === 0 || cells.length > ACTION_LIMITS.maxCells) {
      fail('VALIDATION', `area: between 1 and ${ACTION_LIMITS.maxCells} cells`);
    }
    for (const cell of cells) {
      if (!isValidCell(cell) || getResolution(cell) < 7 || getResolution(cell) > 10) {
        fail('VALIDATION', 'area: H3 cells of resolution 7 to 10 expected');
      }
      const [lat, lon] = cellToLatLng(cell);
      if (!inside([lon, lat])) fail('ACTION_AREA_OUTSIDE', 'a cell is outside the territory');
    }
    const geometry = { type: 'MultiPolygon' as const, coordinates: cellsToMultiPolygon(cells, true) };
    return { kind: 'cells' as const, area: cells, geometry: geometry as Boundary };
  }
  let polygon: Polygon;
  try {
    const boundary = asBoundary(area);
    if (boundary.type !== 'Polygon') throw new InvalidGeometry('expected a Polygon');
    polygon = boundary;
  } catch (error) {
    return fail('INVALID_GEOJSON', error instanceof InvalidGeometry ? error.message : 'invalid area');
  }
  const vertices = polygon.coordinates.flat();
  if (vertices.length > ACTION_LIMITS.maxVertices) {
    fail('INVALID_GEOJSON', `at most ${ACTION_LIMITS.maxVertices} positions`);
  }
  // Every vertex inside the territory (an edge may still cut a concave border: tolerated).
  if (!vertices.every(inside)) fail('ACTION_AREA_OUTSIDE', 'a vertex of the area is outside the territory');
  return { kind: 'polygon' as const, area: polygon, geometry: polygon as Boundary };
}

function rowFields(input: ActionInput, territory: Boundary) {
  const resolved = resolveArea(input.area, territory);
  const [minLon, minLat, maxLon, maxLat] = bboxOf(resolved.geometry);
  return {
    title: input.title.trim(),
    text: input.text.trim(),
    date: input.date,
    area_kind: resolved.kind,
    area: JSON.stringify(resolved.area),
    geometry: JSON.stringify(resolved.geometry),
    min_lon: minLon,
    min_lat: minLat,
    max_lon: maxLon,
    max_lat: maxLat,
  };
}

export async function createAction(
  db: K,
  territoryCode: string,
  territory: Boundary,
  input: ActionInput,
  authorId: string,
  now: number,
): Promise<Row> {
  const row: Row = {
    id: randomUUID(),
    territory_code: territoryCode,
    ...rowFields(input, territory),
    author_id: authorId,
    created_at: now,
    updated_at: now,
  };
  await db.insertInto('city_actions').values(row).execute();
  return row;
}

export async function getAction(db: K, territoryCode: string, id: string): Promise<Row | undefined> {
  return db
    .selectFrom('city_actions')
    .selectAll()
    .where('id', '=', id)
    .where('territory_code', '=', territoryCode)
    .executeTakeFirst();
}

export async function updateAction(
  db: K,
  existing: Row,
  territory: Boundary,
  patch: Partial<ActionInput>,
  now: number,
): Promise<Row> {
  const merged: ActionInput = {
    title: patch.title ?? existing.title,
    text: patch.text ?? existing.text,
    date: patch.date ?? existing.date,
    area: patch.area ?? (JSON.parse(existing.area) as ActionArea),
  };
  const fields = { ...rowFields(merged, territory), updated_at: now };
  await db.updateTable('city_actions').set(fields).where('id', '=', existing.id).execute();
  return { ...existing, ...fields };
}

export async function deleteAction(db: K, territoryCode: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('city_actions')
    .where('id', '=', id)
    .where('territory_code', '=', territoryCode)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listTerritoryActions(db: K, territoryCode: string): Promise<Row[]> {
  return db
    .selectFrom('city_actions')
    .selectAll()
    .where('territory_code', '=', territoryCode)
    .orderBy('date', 'desc')
    .orderBy('id')
    .execute();
}

/** Actions whose bounding box meets the given one (public citizen map). */
export async function actionsInBbox(db: K, [minLon, minLat, maxLon, maxLat]: number[], limit: number) {
  return db
    .selectFrom('city_actions')
    .selectAll()
    .where('max_lon', '>=', minLon)
    .where('min_lon', '<=', maxLon)
    .where('max_lat', '>=', minLat)
    .where('min_lat', '<=', maxLat)
    .orderBy('date', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Public presentation: no author, no internal timestamps beyond the last update. */
export function presentAction(row: Row) {
  return {
    type: 'Feature' as const,
    id: row.id,
    geometry: JSON.parse(row.geometry) as Boundary,
    properties: {
      id: row.id,
      territoryCode: row.territory_code,
      title: row.title,
      text: row.text,
      date: row.date,
      areaKind: row.area_kind,
      cells: row.area_kind === 'cells' ? (JSON.parse(row.area) as string[]) : null,
      updatedAt: new Date(row.updated_at).toISOString(),
    },
  };
}

registerPersonalData({
  name: 'cityActions',
  async export(db, userId) {
    const rows = await db
      .selectFrom('city_actions')
      .select(['id', 'territory_code', 'title', 'date', 'created_at', 'updated_at'])
      .where('author_id', '=', userId)
      .orderBy('created_at')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      territoryCode: r.territory_code,
      title: r.title,
      date: r.date,
      createdAt: new Date(r.created_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
    }));
  },
  // Erasure: the foreign key sets author_id to null when the account row is deleted.
});
