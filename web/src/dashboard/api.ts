/** Calls of the dashboard (see src/reports/dashboard-routes.ts, actions-routes.ts, routes.ts). */
import type { Polygon } from 'geojson';
import type { TFunction } from 'i18next';
import { api, errorCode } from '../api/client.ts';
import { errorMessage } from '../api/error-message.ts';
import type { ActionCollection, ActionFeature } from '../reports/api.ts';
import type { Translate } from '../reports/namespace.ts';
import { DASHBOARD_ERROR_CODES, type DashboardKey } from './i18n.ts';

export interface CellFeature {
  type: 'Feature';
  id: string;
  geometry: Polygon;
  properties: { cell: string; resolution: number; count: number };
}

interface Totals {
  /** Whole UTC weeks: Monday 00:00 UTC to Monday 00:00 UTC (excluded). */
  from: string;
  to: string;
  weeks: number;
  total: number;
  hidden: number;
  held: number;
  k: number;
}

export interface Heatmap extends Totals {
  type: 'FeatureCollection';
  features: CellFeature[];
  territory: string;
}

export interface LiveDiff extends Totals {
  changed: CellFeature[];
  removed: string[];
}

export interface Stats {
  k: number;
  from: string;
  to: string;
  total: number;
  held: number;
  categories: { category: string; count: number | null }[];
  weeks: { week: string; from: string; count: number | null }[];
  /** 1 = Monday … 7 = Sunday, local time. */
  weekdays: { weekday: number; count: number | null }[];
  /** Bands of local hours [from, to). */
  hourBands: { from: number; to: number; count: number | null }[];
}

export interface HeldReport {
  id: string;
  territoryCode: string;
  category: string;
  role: string;
  cell: string;
  hour: string;
  day: string;
  description: string | null;
  burst: number;
}

/** What the API calls a window: ISO instants and an optional category. */
export interface Query {
  from?: string;
  to?: string;
  category?: string;
}

export const queryString = (query: Query, extra: Record<string, string | number> = {}) => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...query, ...extra })) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
};

export type ActionArea = Polygon | string[];
export interface ActionInput {
  title: string;
  text: string;
  date: string;
  area: ActionArea;
}

const base = (code: string) => `/api/territories/${encodeURIComponent(code)}`;

export const dashboardApi = {
  heatmap: (code: string, query: Query, signal?: AbortSignal) =>
    api<Heatmap>(`${base(code)}/heatmap${queryString(query)}`, { signal }),
  stats: (code: string, query: Query, signal?: AbortSignal) =>
    api<Stats>(`${base(code)}/stats${queryString(query)}`, { signal }),
  descriptions: (code: string, query: Query, offset: number, signal?: AbortSignal) =>
    api<{ descriptions: { category: string; day: string; text: string }[] }>(
      `${base(code)}/descriptions${queryString(query, { limit: 50, offset })}`,
      { signal },
    ),
  exportUrl: (code: string, query: Query, format: 'csv' | 'geojson') =>
    `${base(code)}/export.${format}${queryString(query)}`,
  liveUrl: (code: string) => `${base(code)}/live`,
  held: (signal?: AbortSignal) => api<{ reports: HeldReport[] }>('/api/admin/reports/held', { signal }),
  accept: (id: string) => api<void>(`/api/admin/reports/${id}/accept`, { method: 'POST' }),
  reject: (id: string) => api<void>(`/api/admin/reports/${id}/reject`, { method: 'POST' }),
  actions: (code: string, signal?: AbortSignal) => api<ActionCollection>(`${base(code)}/actions`, { signal }),
  createAction: (code: string, body: ActionInput) =>
    api<ActionFeature>(`${base(code)}/actions`, { method: 'POST', body }),
  updateAction: (code: string, id: string, body: Partial<ActionInput>) =>
    api<ActionFeature>(`${base(code)}/actions/${id}`, { method: 'PATCH', body }),
  deleteAction: (code: string, id: string) => api<void>(`${base(code)}/actions/${id}`, { method: 'DELETE' }),
};

export function dashboardErrorMessage(t: Translate<DashboardKey>, appT: TFunction, error: unknown): string {
  const code = errorCode(error);
  if (DASHBOARD_ERROR_CODES.includes(code)) return t(`errors.${code}` as DashboardKey);
  return errorMessage(appT, error);
}
