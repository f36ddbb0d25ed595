/**
 * The places list's nearest search, run on the phone in the export of a grid area around the
 * position, so that the server never learns where the person is: it learns which grid area,
 * the same URL for everyone around there (docs/SECURITY.md). Asking `nearest?lat=…&lon=…`
 * told it, to the metre, at every search — while she shared a trip, what the share encrypts.
 *
 * Reaches are tried in turn: the area holding everything within 10 km (a town and its
 * surroundings, the copy the SOS screen uses too), then the one holding the page's whole reach
 * when fewer than `limit` places match within 10 km (open at night, police only, the
 * countryside). A list found within a reach is exact: every place that close is in the area,
 * so the `limit` nearest of the area, when all lie within the reach, are the `limit` nearest.
 */
import type { Filters, NearestPlace } from './api.ts';
import { offlineNearest } from './offline-search.ts';
import type { SavedArea } from './offline-store.ts';

/** How far the places page looks: beyond, a place is no refuge (the page says none is near). */
export const PLACES_REACH_M = 50_000;

/** The reaches tried, nearest first; the last is the page's. */
export const REACH_STEPS_M = [10_000, PLACES_REACH_M] as const;

/** An area holding every place within `reachM` of the position (offline-store's areaWithin). */
export type AreaWithin = (reachM: number) => Promise<{ area: SavedArea; downloaded: boolean }>;

export interface FoundOnPhone {
  places: NearestPlace[];
  /** The area searched last (the widest one needed). */
  area: SavedArea;
  /** Every area searched came from the server now, not from a copy on the phone. */
  downloaded: boolean;
  /** The reach within which `places` is exact (less than the page's when a wider area failed). */
  reachM: number;
}

/**
 * The `limit` nearest places within the page's reach, nearest first. When a wider area cannot
 * be had (no network, no copy), the narrower list is returned, exact within its reach; when
 * not even the first can, the first area's error is thrown.
 */
export async function nearestOnPhone(
  areaWithin: AreaWithin,
  lat: number,
  lon: number,
  filters: Filters,
  limit: number,
  at = Date.now(),
): Promise<FoundOnPhone> {
  let found: FoundOnPhone | null = null;
  let downloaded = true;
  for (const reachM of REACH_STEPS_M) {
    let holding: { area: SavedArea; downloaded: boolean };
    try {
      holding = await areaWithin(reachM);
    } catch (error) {
      if (found) return found;
      throw error;
    }
    const { area } = holding;
    const places = offlineNearest(area, lat, lon, filters, limit, at).filter((p) => p.distanceM <= reachM);
    downloaded &&= holding.downloaded;
    found = { places, area, reachM, downloaded };
    if (places.length >= limit) break;
  }
  return found as FoundOnPhone;
}
