/** Calls of the reports API used by the citizen screens (see src/reports/routes.ts). */
import type { MultiPolygon, Polygon } from 'geojson';
import type { TFunction } from 'i18next';
import type { ReportCategory, ReportRole } from '../../../src/shared/reports.ts';
import { api, errorCode } from '../api/client.ts';
import { errorMessage } from '../api/error-message.ts';
import { REPORT_ERROR_CODES, type ReportsKey } from './i18n.ts';
import type { Translate } from './namespace.ts';

/** Body of POST /api/reports: the exact point and time leave the phone only here, once. */
export interface ReportBody {
  category: ReportCategory;
  role: ReportRole;
  lat: number;
  lon: number;
  occurredAt: string;
  description?: string;
  shareDescription?: boolean;
}

export interface NearbyRing {
  ring: number;
  cells: string[];
  count: number | null;
  fewerThanK: boolean;
}

export interface Nearby {
  k: number;
  minutes: number;
  since: string;
  until: string;
  hours: number;
  rings: NearbyRing[];
}

export interface ActionFeature {
  type: 'Feature';
  id: string;
  geometry: Polygon | MultiPolygon;
  properties: {
    id: string;
    territoryCode: string;
    title: string;
    text: string;
    date: string;
    areaKind: string;
    cells: string[] | null;
    updatedAt: string;
  };
}

export interface ActionCollection {
  type: 'FeatureCollection';
  features: ActionFeature[];
}

export type TerritorySummary = {
  code: string;
  name: string;
  kind: 'commune' | 'arrondissement';
};

/** Territories as a list shows them: by name, numerically ("Paris 2e" before "Paris 10e"). */
export const byTerritoryName = (list: TerritorySummary[]): TerritorySummary[] =>
  [...list].sort((a, b) => a.name.localeCompare(b.name, 'fr', { numeric: true }));

export interface TerritoryFeature {
  type: 'Feature';
  properties: TerritorySummary;
  bbox: number[];
  geometry: Polygon | MultiPolygon;
}

export const reportsApi = {
  /** `idempotencyKey`: the same for every attempt at one report, so a retry is never stored twice. */
  submit: (body: ReportBody, idempotencyKey?: string) =>
    api<{ id: string }>('/api/reports', {
      method: 'POST',
      body,
      headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : undefined,
    }),
  nearby: (lat: number, lon: number, signal?: AbortSignal) =>
    api<Nearby>(`/api/reports/nearby?lat=${lat.toFixed(5)}&lon=${lon.toFixed(5)}`, { signal }),
  actions: (bbox: [number, number, number, number], signal?: AbortSignal) =>
    api<ActionCollection>(`/api/actions?bbox=${bbox.map((v) => v.toFixed(5)).join(',')}`, { signal }),
  territories: (signal?: AbortSignal) =>
    api<{ territories: TerritorySummary[] }>('/api/territories', { signal }),
  territory: (code: string, signal?: AbortSignal) =>
    api<TerritoryFeature>(`/api/territories/${encodeURIComponent(code)}`, { signal }),
};

/** A sentence for an error of the reports API: ours first, then the app's generic ones. */
export function reportErrorMessage(t: Translate<ReportsKey>, appT: TFunction, error: unknown): string {
  const code = errorCode(error);
  if (REPORT_ERROR_CODES.includes(code)) return t(`errors.${code}` as ReportsKey);
  return errorMessage(appT, error);
}
