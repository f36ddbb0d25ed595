/** Territories storage. Boundaries are kept as GeoJSON text with their bounding box. */
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { type Boundary, bboxOf } from './geojson.ts';

type K = Kysely<Schema>;

export interface Territory {
  code: string;
  name: string;
  kind: 'commune' | 'arrondissement';
  boundary: Boundary;
  bbox: [number, number, number, number];
}

export interface TerritoryInput {
  code: string;
  name: string;
  kind: 'commune' | 'arrondissement';
  boundary: Boundary;
}

type Bbox = [number, number, number, number];

/**
 * Insert or replace by INSEE code. Returns the bounding box it replaced, null when a new
 * territory was created (places inside the old box may have to change territory).
 */
export async function upsertTerritory(db: K, input: TerritoryInput, now: number): Promise<Bbox | null> {
  const [minLon, minLat, maxLon, maxLat] = bboxOf(input.boundary);
  const values = {
    name: input.name,
    kind: input.kind,
    boundary: JSON.stringify(input.boundary),
    min_lon: minLon,
    min_lat: minLat,
    max_lon: maxLon,
    max_lat: maxLat,
    updated_at: now,
  };
  const existing = await db
    .selectFrom('territories')
    .select(['min_lon', 'min_lat', 'max_lon', 'max_lat'])
    .where('code', '=', input.code)
    .executeTakeFirst();
  if (existing) {
    await db.updateTable('territories').set(values).where('code', '=', input.code).execute();
    return [existing.min_lon, existing.min_lat, existing.max_lon, existing.max_lat];
  }
  await db
    .insertInto('territories')
    .values({ code: input.code, created_at: now, ...values })
    .execute();
  return null;
}

function toTerritory(row: Schema['territories']): Territory {
  return {
    code: row.code,
    name: row.name,
    kind: row.kind,
    boundary: JSON.parse(row.boundary) as Boundary,
    bbox: [row.min_lon, row.min_lat, row.max_lon, row.max_lat],
  };
}

export async function getTerritory(db: K, code: string): Promise<Territory | undefined> {
  const row = await db.selectFrom('territories').selectAll().where('code', '=', code).executeTakeFirst();
  return row ? toTerritory(row) : undefined;
}

export async function listTerritories(db: K): Promise<Territory[]> {
  const rows = await db.selectFrom('territories').selectAll().orderBy('code').execute();
  return rows.map(toTerritory);
}

export async function listTerritorySummaries(db: K) {
  return db.selectFrom('territories').select(['code', 'name', 'kind']).orderBy('code').execute();
}

export async function deleteTerritory(db: K, code: string): Promise<boolean> {
  const result = await db.deleteFrom('territories').where('code', '=', code).executeTakeFirst();
  await db.deleteFrom('staff_territories').where('territory_code', '=', code).execute();
  return Number(result.numDeletedRows) > 0;
}
