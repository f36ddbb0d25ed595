/** The territories Havre ships in `data/territories/` (see data/PROVENANCE.md). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseTerritories } from './import.ts';
import type { TerritoryInput } from './store.ts';

export const BUNDLED_TERRITORY_FILES = ['paris-arrondissements.geojson', 'communes-selection.geojson'];

export function bundledTerritoryPath(file: string): string {
  return fileURLToPath(new URL(`../../data/territories/${file}`, import.meta.url));
}

export function loadBundledTerritories(): TerritoryInput[] {
  return BUNDLED_TERRITORY_FILES.flatMap((file) => {
    const { territories, problems } = parseTerritories(
      JSON.parse(readFileSync(bundledTerritoryPath(file), 'utf8')),
    );
    if (problems.length) throw new Error(`${file}: ${problems.map((p) => p.reason).join('; ')}`);
    return territories;
  });
}
