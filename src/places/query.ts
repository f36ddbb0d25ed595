/** Parsing of query-string values shared by the places routes; stable error codes. */
import { fail } from '../server/errors.ts';
import { isPlaceKind, type PlaceKind } from './kinds.ts';

export type Bbox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

export function parseBbox(value: string, maxSpanDeg: number): Bbox {
  const parts = value.split(',').map((s) => (s.trim() === '' ? Number.NaN : Number(s)));
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) {
    return fail('PLACE_BAD_BBOX', 'bbox needs four numbers: minLon,minLat,maxLon,maxLat');
  }
  const [minLon, minLat, maxLon, maxLat] = parts;
  if (minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90 || minLon >= maxLon || minLat >= maxLat) {
    return fail('PLACE_BAD_BBOX', 'bbox is outside WGS84 ranges or inverted');
  }
  if (maxLon - minLon > maxSpanDeg || maxLat - minLat > maxSpanDeg) {
    return fail('PLACE_BBOX_TOO_LARGE', `Each side of the bbox must be at most ${maxSpanDeg}°`);
  }
  return [minLon, minLat, maxLon, maxLat];
}

export function parseKinds(value: string | undefined): PlaceKind[] {
  if (!value) return [];
  const kinds = value.split(',').filter(Boolean);
  const unknown = kinds.find((k) => !isPlaceKind(k));
  if (unknown) fail('VALIDATION', `querystring.kinds: unknown kind "${unknown}"`);
  return kinds as PlaceKind[];
}

/**
 * An ISO 8601 instant: a date, a time and its offset (`Z` or `+04:00`); absent means now.
 * Without an offset the instant is not known: read in the server's zone, 22:00 asked for a
 * place in La Réunion was 02:00 there.
 */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

export function parseAt(value: string | undefined, now: number): number {
  if (value === undefined) return now;
  const ms = INSTANT.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms))
    fail('PLACE_BAD_TIME', 'at must be an ISO 8601 instant with its offset, e.g. 2026-11-28T23:00:00+01:00');
  return ms;
}
