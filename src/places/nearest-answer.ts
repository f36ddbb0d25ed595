/**
 * The nearest-refuge answer from a query already checked: shared by the Fastify route and its
 * fast path (nearest-fast-path.ts), so both compute the same bytes.
 */
import type { PlacesIndex } from './index/places-index.ts';
import { PLACE_LIMITS, type PlaceKind } from './kinds.ts';
import { nearestJson } from './nearest-json.ts';
import { parseAt, parseKinds } from './query.ts';

export const NEAREST_CONTENT_TYPE = 'application/json; charset=utf-8';

export interface NearestParams {
  lat: number;
  lon: number;
  limit: number;
  at: number;
  kinds: PlaceKind[];
  partnerOnly: boolean;
  openOnly: boolean;
}

/** The query string's fields, as the route's schema types them (before `at` and `kinds` are parsed). */
export interface NearestFields {
  lat: number;
  lon: number;
  limit?: number;
  at?: string;
  kinds?: string;
  partnerOnly?: boolean;
  openOnly?: boolean;
}

/** Throws the route's 400 problems (PLACE_BAD_TIME, VALIDATION for an unknown kind). */
export function nearestParams(q: NearestFields, now: number): NearestParams {
  return {
    lat: q.lat,
    lon: q.lon,
    limit: q.limit ?? PLACE_LIMITS.defaultNearest,
    at: parseAt(q.at, now),
    kinds: parseKinds(q.kinds),
    partnerOnly: q.partnerOnly ?? false,
    openOnly: q.openOnly ?? false,
  };
}

/** `{"places":[…]}` as UTF-8 bytes (already JSON: no serialiser runs on it). */
export function answerNearest(index: PlacesIndex, p: NearestParams): Buffer {
  const hits = index.nearest(p.lat, p.lon, {
    limit: p.limit,
    at: p.at,
    kinds: p.kinds,
    partnerOnly: p.partnerOnly,
    openOnly: p.openOnly,
  });
  return nearestJson(index).answer(hits, p.at);
}
