/**
 * The offline copy of the places around the user: the compact export of an area
 * (GET /api/places/export) kept in IndexedDB, so the nearest refuge is found on the phone
 * when the network is cut. The service worker also keeps the last answer of each export URL
 * (see web/vite.config.ts), from the first visit on (export-cache.ts): a second copy when
 * IndexedDB is unavailable (private browsing).
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { PlacesExport } from '../../../src/places/index/export-format.ts';
import { type Bbox, placesApi } from './api.ts';
import { keepForServiceWorker } from './export-cache.ts';

export interface SavedArea {
  /** The export URL's bbox, as text: one record per area. */
  key: string;
  bbox: Bbox;
  /**
   * Since when the copy is known to be current (epoch ms): when the phone last had it from the
   * server, online (a 304 confirms an older export), else when the server made it. The age the
   * screen shows offline.
   */
  generatedAt: number;
  data: PlacesExport;
}

interface Schema extends DBSchema {
  areas: { key: string; value: SavedArea };
}

const AREA = {
  halfSpanDeg: 0.1, // the export covers the position ± this, snapped to a 0.1° grid
  // Asked again when older than this: the server answers 304 while nothing changed, and a
  // place that closed or left the network must not stay on the list (export-answer.ts).
  maxAgeMs: 60_000,
  keep: 4, // areas kept on the phone (home and its surroundings, work, a night out)
};

/** A copy younger than this is as good as the server's answer; older ones are shown with their date. */
export const isFresh = (area: SavedArea, now = Date.now()) => now - area.generatedAt < AREA.maxAgeMs;

const online = () => typeof navigator === 'undefined' || navigator.onLine;

let opening: Promise<IDBPDatabase<Schema>> | null = null;
function database(): Promise<IDBPDatabase<Schema>> {
  opening ??= openDB<Schema>('havre-places', 1, {
    upgrade(db) {
      db.createObjectStore('areas', { keyPath: 'key' });
    },
    // Another tab upgrades or deletes the database: let go of it (reopened on next use).
    blocking() {
      const closing = opening;
      opening = null;
      void closing?.then((db) => db.close());
    },
  });
  return opening;
}

/** The area exported around a position: snapped so nearby positions share one URL (and cache entry). */
export function areaAround(lat: number, lon: number): Bbox {
  const down = (v: number) => Math.floor(v * 10) / 10;
  const up = (v: number) => Math.ceil(v * 10) / 10;
  const h = AREA.halfSpanDeg;
  return [down(lon - h), down(lat - h), up(lon + h), up(lat + h)];
}

export const contains = (bbox: Bbox, lat: number, lon: number, margin = 0): boolean =>
  lon >= bbox[0] + margin && lon <= bbox[2] - margin && lat >= bbox[1] + margin && lat <= bbox[3] - margin;

/** Every saved area, newest first. */
export async function allAreas(): Promise<SavedArea[]> {
  try {
    const areas = await (await database()).getAll('areas');
    return areas.sort((a, b) => b.generatedAt - a.generatedAt);
  } catch {
    return []; // IndexedDB disabled: the service worker's copy is the fallback
  }
}

async function save(area: SavedArea): Promise<void> {
  try {
    const db = await database();
    const tx = db.transaction('areas', 'readwrite');
    await tx.store.put(area);
    const stale = (await tx.store.getAll()).sort((a, b) => b.generatedAt - a.generatedAt).slice(AREA.keep);
    for (const old of stale) await tx.store.delete(old.key);
    await tx.done;
  } catch {
    // not kept on this device; the service worker may still hold the response
  }
}

function toArea(bbox: Bbox, data: PlacesExport): SavedArea {
  const made = Date.parse(data.generatedAt);
  return { key: bbox.join(','), bbox, generatedAt: online() ? Math.max(made, Date.now()) : made, data };
}

/** Downloads the export of an area and keeps it, in IndexedDB and for the service worker. */
async function download(bbox: Bbox, signal?: AbortSignal): Promise<SavedArea> {
  const data = await placesApi.export(bbox, signal);
  const area = toArea(bbox, data);
  await Promise.all([save(area), keepForServiceWorker(placesApi.exportUrl(bbox), data)]);
  return area;
}

/**
 * Offline: the saved area that holds the position (newest first); else the newest one, marked
 * `outside`; else the service worker's copy of this position's export URL; else null.
 */
export async function areaFor(
  lat: number,
  lon: number,
): Promise<{ area: SavedArea; outside: boolean } | null> {
  const areas = await allAreas();
  const inside = areas.find((a) => contains(a.bbox, lat, lon));
  if (inside) return { area: inside, outside: false };
  const bbox = areaAround(lat, lon);
  try {
    // Answered by the service worker's cache when the network is down.
    return { area: toArea(bbox, await placesApi.export(bbox)), outside: false };
  } catch {
    return areas[0] ? { area: areas[0], outside: true } : null;
  }
}

/** The index's sphere (src/places/index/knn.ts), so that "within reach" means the same. */
const EARTH_RADIUS_M = 6_371_000;
const DEG = 180 / Math.PI;

/**
 * Half the sides, in degrees, of the box around a disc of `reachM` at this latitude (the
 * spherical cap's own extent, plus 1 %: a place just inside the reach must be in the box).
 */
function disc(lat: number, reachM: number) {
  const r = (reachM * 1.01) / EARTH_RADIUS_M;
  const dLat = r * DEG;
  const s = Math.sin(r) / Math.max(Math.cos(lat / DEG), 1e-6);
  const dLon = s >= 1 ? 180 : Math.asin(s) * DEG;
  return { dLat, dLon };
}

/** The 0.1° grid area holding the disc of `reachM` around a position: what is downloaded. */
export function gridAreaWithin(lat: number, lon: number, reachM: number): Bbox {
  const { dLat, dLon } = disc(lat, reachM);
  return [
    Math.max(Math.floor((lon - dLon) * 10) / 10, -180),
    Math.max(Math.floor((lat - dLat) * 10) / 10, -90),
    Math.min(Math.ceil((lon + dLon) * 10) / 10, 180),
    Math.min(Math.ceil((lat + dLat) * 10) / 10, 90),
  ];
}

/**
 * An area that holds every place within `reachM` of a position: a fresh saved copy holding that
 * whole disc, else the export of the 0.1° grid area around the disc (downloaded and saved);
 * when that fails, a saved copy holding the disc, of any age; with none, the download's error.
 * For the places list and the refuges of the SOS and watch screens, found on the phone so that
 * the position is never sent: the server only learns which grid area (some 30 × 40 km for
 * 10 km).
 */
export async function areaWithin(
  lat: number,
  lon: number,
  reachM: number,
  {
    now = Date.now(),
    signal,
    maxAgeMs = AREA.maxAgeMs,
  }: {
    now?: number;
    signal?: AbortSignal /** 0: ask the server (a 304 when unchanged). */;
    maxAgeMs?: number;
  } = {},
): Promise<{ area: SavedArea; downloaded: boolean }> {
  const { dLat, dLon } = disc(lat, reachM);
  const holds = (a: SavedArea) =>
    contains(a.bbox, lat - dLat, lon - dLon) && contains(a.bbox, lat + dLat, lon + dLon);
  const copies = (await allAreas()).filter(holds);
  if (copies[0] && now - copies[0].generatedAt < maxAgeMs) return { area: copies[0], downloaded: false };
  const bbox = gridAreaWithin(lat, lon, reachM);
  try {
    // Answered by the service worker's cache when the network is down and it has this URL.
    return { area: await download(bbox, signal), downloaded: true };
  } catch (error) {
    if (copies[0]) return { area: copies[0], downloaded: false };
    throw error;
  }
}

/** The newest saved area (offline card and map, when no position is known). */
export async function newestArea(): Promise<SavedArea | null> {
  return (await allAreas())[0] ?? null;
}
