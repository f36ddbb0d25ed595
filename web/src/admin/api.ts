/** The admin API the console calls (src/territories/routes.ts). */
import { api } from '../api/client.ts';

export interface TerritorySummary {
  code: string;
  name: string;
  kind: 'commune' | 'arrondissement';
}

export const adminApi = {
  territories: () => api<{ territories: TerritorySummary[] }>('/api/territories'),
  importTerritories: (geojson: unknown) =>
    api<{ created: number; updated: number; codes: string[]; placesMoved: number }>(
      '/api/admin/territories',
      {
        method: 'POST',
        body: geojson,
      },
    ),
  deleteTerritory: (code: string) =>
    api<null>(`/api/admin/territories/${encodeURIComponent(code)}`, { method: 'DELETE' }),
  staffOf: (territory: string) =>
    api<{ staff: { email: string }[] }>(`/api/admin/staff?territory=${encodeURIComponent(territory)}`),
  staff: (grant: boolean, email: string, territory: string) =>
    api<null>('/api/admin/staff', { method: grant ? 'POST' : 'DELETE', body: { email, territory } }),
};
