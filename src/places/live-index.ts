/**
 * The places index of a running Havre: built lazily from the database, rebuilt after any
 * change. A `places.changed` message on the bus reaches every instance (Redis at scale),
 * so each one drops its index and rebuilds it on the next query.
 */
import type { Services } from '../server/services.ts';
import { compileWithLibrary } from './hours/fallback.ts';
import { dayNumber } from './hours/holidays.ts';
import { fromWallClock } from './hours/tz.ts';
import { isHolidayRegion } from './hours/zones.ts';
import { type IndexedPlace, PlacesIndex } from './index/places-index.ts';
import { listVisiblePlaces, type PlaceRow } from './store.ts';

export const PLACES_CHANGED = 'places.changed';

/**
 * An index older than this is rebuilt even without a message: changes made outside a
 * request (account erasure, a direct SQL fix) show within minutes.
 */
const MAX_AGE_MS = 5 * 60_000;

interface Holder {
  version: number;
  index: Promise<PlacesIndex> | null;
  /** `index` once it resolved, for callers that cannot wait (the nearest fast path). */
  ready: PlacesIndex | null;
  builtAt: number;
}
const holders = new WeakMap<Services, Holder>();
const subscribed = new WeakSet<Services>();

/** Local midnight starting a YYYY-MM-DD date in a zone. */
export function startOfDate(timeZone: string, date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return fromWallClock(timeZone, dayNumber(y, m, d), 0);
}

export function toIndexedPlace(row: PlaceRow): IndexedPlace {
  const region = isHolidayRegion(row.holiday_region) ? row.holiday_region : 'metropole';
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    lat: row.lat,
    lon: row.lon,
    address: row.address,
    phone: row.phone,
    partner: row.source === 'partner' && row.status === 'verified',
    trainingExpiresAt: row.training_expires_on ? startOfDate(row.time_zone, row.training_expires_on) : null,
    closedUntil: row.closed_until,
    hours: compileWithLibrary(row.opening_hours, { timeZone: row.time_zone, region }),
  };
}

async function build(services: Services): Promise<PlacesIndex> {
  const rows = await listVisiblePlaces(services.db.kysely);
  return new PlacesIndex(rows.map(toIndexedPlace));
}

function holder(services: Services): Holder {
  let h = holders.get(services);
  if (!h) {
    h = { version: 0, index: null, ready: null, builtAt: 0 };
    holders.set(services, h);
  }
  return h;
}

function invalidate(services: Services): void {
  const h = holder(services);
  h.version += 1;
  h.index = null;
  h.ready = null;
}

export async function placesIndex(services: Services): Promise<PlacesIndex> {
  if (!subscribed.has(services)) {
    subscribed.add(services);
    await services.bus.subscribe(PLACES_CHANGED, () => invalidate(services));
    // Changes announced while the shared bus was away were missed: rebuild when it is back.
    services.bus.onConnectionChange?.((up) => up && invalidate(services));
  }
  return current(services);
}

/**
 * The index if it is built and this instance listens for changes, else null (the caller then
 * awaits `placesIndex`). Synchronous: no promise per request on the nearest fast path.
 */
export function readyIndex(services: Services): PlacesIndex | null {
  if (!subscribed.has(services)) return null;
  current(services);
  return holder(services).ready;
}

/** The index being served (built or building), started or refreshed by age as needed. */
function current(services: Services): Promise<PlacesIndex> {
  const h = holder(services);
  const now = services.clock.now();
  if (!h.index) {
    const promise = build(services);
    h.index = promise;
    h.builtAt = now;
    promise.then(
      (index) => {
        if (h.index === promise) h.ready = index;
      },
      () => {
        if (h.index === promise) h.index = null;
      },
    );
  } else if (now - h.builtAt > MAX_AGE_MS) {
    // Refreshed by age alone: keep answering from the current index while the next one builds
    // (100,000 places take seconds to read; every query would otherwise wait for them). A
    // change heard meanwhile wins: its rebuild replaces both.
    h.builtAt = now;
    const version = h.version;
    const current = h.index;
    build(services).then(
      (index) => {
        if (h.version === version && h.index === current) {
          h.index = Promise.resolve(index);
          h.ready = index;
        }
      },
      () => undefined, // keep the current index; the next refresh tries again
    );
  }
  return h.index;
}

/** Call after any change to places: this instance rebuilds, the others hear it on the bus. */
export async function placesChanged(services: Services): Promise<void> {
  invalidate(services);
  await services.bus.publish(PLACES_CHANGED, {});
}
