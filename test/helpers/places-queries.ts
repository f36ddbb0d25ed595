/**
 * The questions the browser's places search is checked with against the server: filters a
 * person uses, instants that cross nights, dawns, a public holiday and summer time, and the
 * nearest query that asks them of the server.
 */
import { seedDemoPlaces } from '../../src/places/demo.ts';
import { loadBundledTerritories } from '../../src/territories/bundled.ts';
import { importTerritories } from '../../src/territories/import.ts';
import type { Filters } from '../../web/src/places/api.ts';
import { makeTestApp, type TestApp, userWith } from './app.ts';

export const FILTERS: Filters[] = [
  { openOnly: false, partnerOnly: false, kinds: [] },
  { openOnly: true, partnerOnly: false, kinds: [] },
  { openOnly: false, partnerOnly: true, kinds: [] },
  { openOnly: true, partnerOnly: false, kinds: ['bar', 'restaurant', 'nightclub'] },
  { openOnly: false, partnerOnly: false, kinds: ['police', 'gendarmerie'] },
];

/** A Saturday evening, a Sunday dawn, a public holiday (Christmas) and a summer-time Monday noon. */
export const INSTANTS = [
  '2026-11-28T21:00:00Z',
  '2026-11-29T05:30:00Z',
  '2026-12-25T18:00:00Z',
  '2027-06-14T10:00:00Z',
];

/** The URL of GET /api/places/nearest for a position, filters, limit and instant. */
export function nearestUrl(lat: number, lon: number, filters: Filters, limit: number, at: string): string {
  const q = new URLSearchParams({
    lat: String(lat),
    lon: String(lon),
    limit: String(limit),
    at,
    openOnly: String(filters.openOnly),
    partnerOnly: String(filters.partnerOnly),
  });
  if (filters.kinds.length) q.set('kinds', filters.kinds.join(','));
  return `/api/places/nearest?${q}`;
}

/** A Havre in memory with the demo's places (police stations of France, demo venues). */
export async function demoPlacesApp(): Promise<TestApp> {
  const t = await makeTestApp('sqlite');
  await importTerritories(t.services, loadBundledTerritories());
  await userWith(t, { email: 'cafe@havre.example' });
  await seedDemoPlaces(t.services);
  return t;
}
