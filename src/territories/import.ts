/**
 * Reads territories from GeoJSON: a FeatureCollection, a Feature, or a bare geometry with
 * code and name given. Understands the properties of the French open-data files
 * (`code`/`nom` from IGN/INSEE, `c_arinsee`/`l_aroff` from Paris open data).
 */
import { type Area, refreshPlaceTerritories, unionOf } from '../places/territory-refresh.ts';
import type { Services } from '../server/services.ts';
import { asBoundary, bboxOf, InvalidGeometry } from './geojson.ts';
import { territoriesChanged } from './registry.ts';
import { deleteTerritory, type TerritoryInput, upsertTerritory } from './store.ts';

export interface ImportProblem {
  /** The feature's number as a person counts, from 1 (as place imports number rows); null for the file. */
  feature: number | null;
  reason: string;
}

/** "feature 3: territory 99999 has no name", or the file's own problem. */
export const describeProblem = (p: ImportProblem) =>
  p.feature ? `feature ${p.feature}: ${p.reason}` : p.reason;

const INSEE = /^(\d{5}|2[AB]\d{3})$/;

function pick(props: Record<string, unknown>, keys: string[]): string | null {
  for (const key of keys) {
    const value = props[key];
    if (value !== undefined && value !== null && String(value).trim() !== '') return String(value).trim();
  }
  return null;
}

export function parseTerritories(json: unknown): {
  territories: TerritoryInput[];
  problems: ImportProblem[];
} {
  const root = json as { type?: string; features?: unknown[] };
  const features =
    root?.type === 'FeatureCollection' && Array.isArray(root.features)
      ? root.features
      : root?.type === 'Feature'
        ? [root]
        : null;
  if (!features)
    return {
      territories: [],
      problems: [{ feature: null, reason: 'expected a GeoJSON FeatureCollection or Feature' }],
    };
  const territories: TerritoryInput[] = [];
  const problems: ImportProblem[] = [];
  features.forEach((feature, index) => {
    const number = index + 1;
    const f = feature as { type?: string; properties?: Record<string, unknown> | null; geometry?: unknown };
    const props = f?.properties ?? {};
    const code = pick(props, ['code', 'c_arinsee', 'insee', 'INSEE_COM', 'code_insee']);
    const name = pick(props, ['nom', 'name', 'l_aroff', 'NOM_COM', 'l_ar']);
    if (!code || !INSEE.test(code)) {
      problems.push({ feature: number, reason: `missing or invalid INSEE code (${code ?? 'none'})` });
      return;
    }
    if (!name) {
      problems.push({ feature: number, reason: `territory ${code} has no name` });
      return;
    }
    try {
      const boundary = asBoundary(f.geometry);
      // Paris, Lyon and Marseille arrondissements have their own INSEE codes.
      const kind = /^(751(0[1-9]|1\d|20)|6938[1-9]|132(0[1-9]|1[0-6]))$/.test(code)
        ? 'arrondissement'
        : 'commune';
      const n = Number(props.c_ar);
      const label = code.startsWith('751') && n ? `Paris ${n}${n === 1 ? 'er' : 'e'} — ${name}` : name;
      territories.push({ code, name: label, kind, boundary });
    } catch (error) {
      if (!(error instanceof InvalidGeometry)) throw error;
      problems.push({ feature: number, reason: `territory ${code}: ${error.message}` });
    }
  });
  return { territories, problems };
}

/**
 * Creates or replaces the territories, then gives the places inside their old and new boxes
 * their territory again (a venue that applied before its town joined reaches its review queue).
 */
export async function importTerritories(services: Services, territories: TerritoryInput[]) {
  let created = 0;
  let updated = 0;
  const boxes: Area[] = [];
  for (const territory of territories) {
    const replaced = await upsertTerritory(services.db.kysely, territory, services.clock.now());
    if (replaced) {
      updated += 1;
      boxes.push(replaced);
    } else created += 1;
    boxes.push(bboxOf(territory.boundary));
  }
  await territoriesChanged(services);
  const placesMoved = await refreshPlaceTerritories(services, unionOf(boxes));
  return { created, updated, codes: territories.map((t) => t.code), placesMoved };
}

/** Deletes a territory; its places get the territory now containing them, or none. */
export async function removeTerritory(services: Services, code: string): Promise<boolean> {
  if (!(await deleteTerritory(services.db.kysely, code))) return false;
  await territoriesChanged(services);
  await refreshPlaceTerritories(services, null);
  return true;
}
