/**
 * The nearest places for a position and filters: from the server when it answers, else from
 * the copy saved on the phone, computed with the same index code. Says which one it used.
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

export function useNearest(origin: { lat: number; lon: number } | null, filters: Filters, limit: number) {
  const [state, setState] = useState<NearestState>({ status: 'idle' });
  /** The copy of the area kept for offline use (null until saved). */
  const [saved, setSaved] = useState<SavedArea | null>(null);
  const lat = origin?.lat;
  const lon = origin?.lon;
  const { openOnly, partnerOnly } = filters;
  const kinds = filters.kinds.join(',');

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
          places: offlineNearest(found.area, lat, lon, current, limit),
          source: 'offline',
          generatedAt: found.area.generatedAt,
          outside: found.outside,
        },
      });
    };

    placesApi.nearest(lat, lon, current, limit, signal).then(
      ({ places }) => {
        if (controller.signal.aborted) return;
        setState({ status: 'ready', result: { places, source: 'online' } });
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
  }, [lat, lon, openOnly, partnerOnly, kinds, limit]);

  return { state, saved };
}
