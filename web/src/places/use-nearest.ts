/**
 * The nearest places for a position and filters, found on the phone in the export of the grid
 * area around it (nearest-on-phone.ts: the server never learns the position), downloaded when
 * online, else from the copy saved on the phone; says which one it used. Asked again when one
 * of the places shown opens or closes: a list left open past 23:30 must not keep saying "open,
 * closes at 23:30". Places beyond PLACES_REACH_M are left out: where little is open at night,
 * "the nearest" was a bar 641 km away (from Aix) or a hotel 9,368 km away (from La Réunion),
 * with a walking time in days; the page says none is near instead.
 */
import { useEffect, useState } from 'react';
import { ApiError, CLIENT_ERRORS } from '../api/client.ts';
import type { Filters, NearestPlace } from './api.ts';
import { nearestOnPhone, PLACES_REACH_M } from './nearest-on-phone.ts';
import { offlineNearest } from './offline-search.ts';
import { areaFor, areaWithin, type SavedArea } from './offline-store.ts';

export interface NearestResult {
  places: NearestPlace[];
  /** 'online': from a copy of the area downloaded now or fresh; 'offline': an older copy. */
  source: 'online' | 'offline';
  /** Offline: when the copy used was made (epoch ms). */
  generatedAt?: number;
  /** Offline: the position is outside the saved area. */
  outside?: boolean;
  /** How far the list is complete (less than the page's reach when a wider copy was missing). */
  reachM: number;
}

export type NearestState =
  | { status: 'idle' }
  | { status: 'loading'; previous: NearestResult | null }
  | { status: 'ready'; result: NearestResult }
  | { status: 'none' } // offline and nothing saved
  | { status: 'error'; error: unknown };

/** A download of an area that has not answered after this long is treated as "no network". */
const ONLINE_TIMEOUT_MS = 10_000;

const isNetworkFailure = (error: unknown) =>
  (error instanceof ApiError && error.code === CLIENT_ERRORS.network) ||
  (error instanceof DOMException && error.name === 'TimeoutError');

/** setTimeout's longest wait is ~24.8 days; a day is enough (the page is asked again then). */
const MAX_WAIT_MS = 86_400_000;

const withinReach = (places: NearestPlace[]) => places.filter((p) => p.distanceM <= PLACES_REACH_M);

/** The first instant after `now` at which a place of the list opens or closes, if any. */
export function nextChange(places: NearestPlace[], now: number): number | null {
  let next: number | null = null;
  for (const p of places) {
    const iso = p.openNow === true ? p.closesAt : p.openNow === false ? p.opensAt : undefined;
    const at = iso ? Date.parse(iso) : Number.NaN;
    if (at > now && (next === null || at < next)) next = at;
  }
  return next;
}

export function useNearest(origin: { lat: number; lon: number } | null, filters: Filters, limit: number) {
  const [state, setState] = useState<NearestState>({ status: 'idle' });
  /** The copy of the area kept for offline use (null until saved). */
  const [saved, setSaved] = useState<SavedArea | null>(null);
  const lat = origin?.lat;
  const lon = origin?.lon;
  const { openOnly, partnerOnly } = filters;
  const kinds = filters.kinds.join(',');
  /** Bumped when a place shown opens or closes: the list is asked for again. */
  const [changes, setChanges] = useState(0);

  useEffect(() => {
    if (state.status !== 'ready') return;
    const at = nextChange(state.result.places, Date.now());
    if (at === null) return;
    const timer = setTimeout(() => setChanges((n) => n + 1), Math.min(at - Date.now() + 1000, MAX_WAIT_MS));
    return () => clearTimeout(timer);
  }, [state]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `changes` only asks again
  useEffect(() => {
    if (lat === undefined || lon === undefined) return;
    const current: Filters = {
      openOnly,
      partnerOnly,
      kinds: kinds ? (kinds.split(',') as Filters['kinds']) : [],
    };
    const controller = new AbortController();
    setState((s) => ({ status: 'loading', previous: s.status === 'ready' ? s.result : null }));

    // No copy holds the position's surroundings and none can be downloaded: any copy holding
    // the position (marked `outside` when none does), else the service worker's.
    const offline = async () => {
      const found = await areaFor(lat, lon);
      if (controller.signal.aborted) return;
      if (!found) return setState({ status: 'none' });
      setState({
        status: 'ready',
        result: {
          places: withinReach(offlineNearest(found.area, lat, lon, current, limit)),
          source: 'offline',
          generatedAt: found.area.generatedAt,
          outside: found.outside,
          reachM: PLACES_REACH_M,
        },
      });
    };

    const signal = () => AbortSignal.any([controller.signal, AbortSignal.timeout(ONLINE_TIMEOUT_MS)]);
    nearestOnPhone(
      // Asked at each search (a 304 while unchanged): a place that just closed or left the
      // network must not stay on the list.
      (reachM) => areaWithin(lat, lon, reachM, { signal: signal(), maxAgeMs: 0 }),
      lat,
      lon,
      current,
      limit,
    ).then(
      ({ places, area, reachM, downloaded }) => {
        if (controller.signal.aborted) return;
        setState({
          status: 'ready',
          // Offline, the service worker's copy answers the download: the screen says so.
          result:
            downloaded && navigator.onLine
              ? { places, reachM, source: 'online' }
              : { places, reachM, source: 'offline', generatedAt: area.generatedAt },
        });
        setSaved(area);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (isNetworkFailure(error) || !navigator.onLine) void offline();
        else setState({ status: 'error', error });
      },
    );
    return () => controller.abort();
  }, [lat, lon, openOnly, partnerOnly, kinds, limit, changes]);

  return { state, saved };
}
