/**
 * The nearest places for a position and filters: from the server when it answers, else from
 * the copy saved on the phone, computed with the same index code. Says which one it used.
 * Asked again when one of the places shown opens or closes: a list left open past 23:30 must
 * not keep saying "open, closes at 23:30". Places beyond PLACES_REACH_M are left out: where
 * little is open at night, "the nearest" was a bar 641 km away (from Aix) or a hotel 9,368 km
 * away (from La Réunion), with a walking time in days; the page says none is near instead.
 */
import { useEffect, useState } from 'react';
import { ApiError, CLIENT_ERRORS } from '../api/client.ts';
import { type Filters, type NearestPlace, placesApi } from './api.ts';
import { offlineNearest } from './offline-search.ts';
import { areaFor, refreshArea, type SavedArea } from './offline-store.ts';

export interface NearestResult {
  places: NearestPlace[];
  source: 'online' | 'offline';
  /** Offline: when the copy used was made (epoch ms). */
  generatedAt?: number;
  /** Offline: the position is outside the saved area. */
  outside?: boolean;
}

export type NearestState =
  | { status: 'idle' }
  | { status: 'loading'; previous: NearestResult | null }
  | { status: 'ready'; result: NearestResult }
  | { status: 'none' } // offline and nothing saved
  | { status: 'error'; error: unknown };

/** A nearest query that has not answered after this long is treated as "no network". */
const ONLINE_TIMEOUT_MS = 8000;

const isNetworkFailure = (error: unknown) =>
  (error instanceof ApiError && error.code === CLIENT_ERRORS.network) ||
  (error instanceof DOMException && error.name === 'TimeoutError');

/** setTimeout's longest wait is ~24.8 days; a day is enough (the page is asked again then). */
const MAX_WAIT_MS = 86_400_000;

/** How far the places page looks: beyond, a place is no refuge (the page says none is near). */
export const PLACES_REACH_M = 50_000;

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
    const signal = AbortSignal.any([controller.signal, AbortSignal.timeout(ONLINE_TIMEOUT_MS)]);
    setState((s) => ({ status: 'loading', previous: s.status === 'ready' ? s.result : null }));

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
        },
      });
    };

    placesApi.nearest(lat, lon, current, limit, signal).then(
      ({ places }) => {
        if (controller.signal.aborted) return;
        setState({ status: 'ready', result: { places: withinReach(places), source: 'online' } });
        // Keep the area on the phone for when the network goes.
        void refreshArea(lat, lon).then((area) => !controller.signal.aborted && area && setSaved(area));
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
