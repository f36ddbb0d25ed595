/** Territories (public data), fetched once per page load. */
import { byTerritoryName, reportsApi, type TerritoryFeature, type TerritorySummary } from '../reports/api.ts';

export type { TerritoryFeature, TerritorySummary };

let list: Promise<TerritorySummary[]> | null = null;
export function loadTerritoryList(): Promise<TerritorySummary[]> {
  list ??= reportsApi
    .territories()
    .then((answer) => byTerritoryName(answer.territories))
    .catch((error: unknown) => {
      list = null;
      throw error;
    });
  return list;
}

const features = new Map<string, Promise<TerritoryFeature>>();
export function loadTerritory(code: string): Promise<TerritoryFeature> {
  let pending = features.get(code);
  if (!pending) {
    pending = reportsApi.territory(code).catch((error: unknown) => {
      features.delete(code);
      throw error;
    });
    features.set(code, pending);
  }
  return pending;
}
