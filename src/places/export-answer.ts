/**
 * The bytes of an area's export, made once per index and area, with an ETag of what it says.
 *
 * Phones search in these exports instead of sending their position (web/src/places/
 * nearest-on-phone.ts), so they ask again at each search: `no-cache` has the browser
 * revalidate every time, and the ETag (of the places and hours, not of `generatedAt`) turns
 * an unchanged area into a 304 of a few bytes. A change to any place builds a new index
 * (live-index.ts), which drops the prepared answers with it.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { buildExport } from './index/export-format.ts';
import type { PlacesIndex } from './index/places-index.ts';
import { PLACE_LIMITS } from './kinds.ts';
import type { Bbox } from './query.ts';

const gzipAsync = promisify(gzip);

export interface PreparedExport {
  etag: string;
  json: Buffer;
  /** Made on first demand. */
  gzip: Promise<Buffer> | null;
}

/** Areas kept per index: the few grid areas of a town's phones. */
const KEPT = 64;
const prepared = new WeakMap<PlacesIndex, Map<string, PreparedExport>>();

/** The export of an area, or null when it holds more places than an export may. */
export function preparedExport(index: PlacesIndex, bbox: Bbox, now: number): PreparedExport | null {
  let areas = prepared.get(index);
  if (!areas) {
    areas = new Map();
    prepared.set(index, areas);
  }
  const key = bbox.join(',');
  const kept = areas.get(key);
  if (kept) return kept;
  const { places, truncated } = index.inBbox(bbox, { limit: PLACE_LIMITS.maxExportPlaces });
  if (truncated) return null;
  const body = buildExport(places, bbox, now);
  const digest = createHash('sha256')
    .update(JSON.stringify([body.bbox, body.hours, body.places]))
    .digest('base64url')
    .slice(0, 27);
  const answer: PreparedExport = { etag: `"${digest}"`, json: Buffer.from(JSON.stringify(body)), gzip: null };
  if (areas.size >= KEPT) areas.delete(areas.keys().next().value as string);
  areas.set(key, answer);
  return answer;
}

export const gzipped = (answer: PreparedExport): Promise<Buffer> => {
  answer.gzip ??= gzipAsync(answer.json);
  return answer.gzip;
};

/** `If-None-Match` names this ETag (a list, `*`, or a weak form of it). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}
