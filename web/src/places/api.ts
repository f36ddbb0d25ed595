/** Calls of the public places API (see src/places/routes-public.ts). No sign-in needed. */
import type { PlacesExport } from '../../../src/places/index/export-format.ts';
import type { PlaceKind } from '../../../src/places/kinds.ts';
import { api } from '../api/client.ts';

/** One answer of GET /api/places/nearest (and of the offline search: same shape). */
export interface NearestPlace {
  id: string;
  name: string;
  kind: PlaceKind;
  lat: number;
  lon: number;
  distanceM: number;
  walkMinutes: number;
  openNow: boolean | null;
  opensAt?: string;
  closesAt?: string;
  partner: boolean;
  trained: boolean;
  phone: string | null;
  address: string | null;
}

export interface WeekDay {
  day: 'mo' | 'tu' | 'we' | 'th' | 'fr' | 'sa' | 'su';
  intervals: { from: string; to: string; state: 'open' | 'unknown' }[];
}

/** GET /api/places/:id (the offline card fills what the export knows, the rest stays null). */
export interface PlaceCard {
  id: string;
  name: string;
  kind: PlaceKind;
  lat: number;
  lon: number;
  address: string | null;
  phone: string | null;
  timeZone: string;
  hoursStatus: 'known' | 'unknown' | 'variable';
  week: WeekDay[];
  openNow: boolean | null;
  opensAt?: string;
  closesAt?: string;
  closedUntil?: string;
  closedReason?: string;
  partner: boolean;
  trained: boolean;
  lastTrainingDate: string | null;
  trainingExpiresOn: string | null;
  trainedStaffCount: number;
}

export interface MapPlace {
  id: string;
  name: string;
  kind: PlaceKind;
  lat: number;
  lon: number;
  partner: boolean;
  trained: boolean;
  openNow: boolean | null;
}

export interface Filters {
  openOnly: boolean;
  partnerOnly: boolean;
  /** Empty: every kind. */
  kinds: PlaceKind[];
}

export type Bbox = [number, number, number, number];

export const placesApi = {
  card: (id: string, signal?: AbortSignal) =>
    api<PlaceCard>(`/api/places/${encodeURIComponent(id)}`, { signal }),
  inBbox: (bbox: Bbox, kinds: PlaceKind[], signal?: AbortSignal) => {
    const q = new URLSearchParams({ bbox: bbox.map((v) => v.toFixed(4)).join(',') });
    if (kinds.length) q.set('kinds', kinds.join(','));
    return api<{ places: MapPlace[]; truncated: boolean }>(`/api/places?${q}`, { signal });
  },
  /** The export URL of an area: the service worker keeps its last answer for offline use. */
  exportUrl: (bbox: Bbox) => `/api/places/export?bbox=${bbox.map((v) => v.toFixed(1)).join(',')}`,
  export: (bbox: Bbox, signal?: AbortSignal) => api<PlacesExport>(placesApi.exportUrl(bbox), { signal }),
  config: () => api<{ mapStyleUrl: string | null }>('/api/config'),
};
