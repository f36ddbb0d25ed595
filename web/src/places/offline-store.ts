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
  /** When the server made the export (epoch ms): the age the screen shows. */
  generatedAt: number;
  data: PlacesExport;
}

interface Schema extends DBSchema {
  areas: { key: string; value: SavedArea };
}

const AREA = {
  halfSpanDeg: 0.1, // the export covers the position ± this, snapped to a 0.1° grid
  marginDeg: 0.04, // refresh when the position is closer than this to the edge of the copy
  maxAgeMs: 30 * 60_000, // refresh a copy older than this when online
  keep: 3, // areas kept on the phone (home, work, a night out)
};

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
  return { key: bbox.join(','), bbox, generatedAt: Date.parse(data.generatedAt), data };
}

/** Downloads the export of an area and keeps it, in IndexedDB and for the service worker. */
async function download(bbox: Bbox): Promise<SavedArea> {
  const data = await placesApi.export(bbox);
  const area = toArea(bbox, data);
  await Promise.all([save(area), keepForServiceWorker(placesApi.exportUrl(bbox), data)]);
  return area;
}

/**
 * Online: downloads the area around the position unless a fresh copy already covers it.
 * Returns the copy that now covers the position, or null when there is none (download failed).
 */
export async function refreshArea(lat: number, lon: number, now = Date.now()): Promise<SavedArea | null> {
  const covering = (await allAreas()).find((a) => contains(a.bbox, lat, lon, AREA.marginDeg));
  if (covering && now - covering.generatedAt < AREA.maxAgeMs) return covering;
  try {
    return await download(areaAround(lat, lon));
  } catch {
    return covering ?? null; // offline or refused: keep what we have
  }
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

const METRES_PER_DEGREE = 111_320;

/**
 * An area that holds every place within `reachM` of a position: a saved copy younger than
 * AREA.maxAgeMs holding that whole disc, else the export of the 0.1° grid area around the disc
 * (downloaded and saved); without network, a saved copy holding the disc, of any age. Null when
 * there is none. For the refuges of the SOS and watch screens, found on the phone so that the
 * position is never sent: the server only learns which grid area, some 30 × 40 km.
 */
export async function areaWithin(
  lat: number,
  lon: number,
  reachM: number,
  now = Date.now(),
): Promise<{ area: SavedArea; downloaded: boolean } | null> {
  const dLat = reachM / METRES_PER_DEGREE;
  const dLon = reachM / (METRES_PER_DEGREE * Math.max(Math.cos((lat * Math.PI) / 180), 0.01));
  const holds = (a: SavedArea) =>
    contains(a.bbox, lat - dLat, lon - dLon) && contains(a.bbox, lat + dLat, lon + dLon);
  const copies = (await allAreas()).filter(holds);
  if (copies[0] && now - copies[0].generatedAt < AREA.maxAgeMs) return { area: copies[0], downloaded: false };
  const bbox: Bbox = [
    Math.floor((lon - dLon) * 10) / 10,
    Math.floor((lat - dLat) * 10) / 10,
    Math.ceil((lon + dLon) * 10) / 10,
    Math.ceil((lat + dLat) * 10) / 10,
  ];
  try {
    // Answered by the service worker's cache when the network is down and it has this URL.
    return { area: await download(bbox), downloaded: true };
  } catch {
    return copies[0] ? { area: copies[0], downloaded: false } : null;
  }
}

/** The newest saved area (offline card and map, when no position is known). */
export async function newestArea(): Promise<SavedArea | null> {
  return (await allAreas())[0] ?? null;
}
