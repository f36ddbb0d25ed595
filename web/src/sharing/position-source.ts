/**
 * One position watch for the whole tab, shared by whoever needs it (the sharer's engine, the
 * SOS screen): one GPS session instead of several, and a newcomer gets the last fix at once
 * instead of waiting for the next one (some browsers only report changes to later watchers).
 */

export type GeoState = 'waiting' | 'ok' | 'denied' | 'unavailable';

export interface Listener {
  fix(position: GeolocationPosition): void;
  state(state: GeoState): void;
  /** Whether this listener wants the GPS (true) or accepts coarse positions (false). */
  precise: boolean;
}

const listeners = new Set<Listener>();
let watchId: number | null = null;
let watchingPrecise = true;
let last: GeolocationPosition | null = null;
let state: GeoState = 'waiting';

function setState(next: GeoState) {
  state = next;
  for (const l of listeners) l.state(next);
}

function restart() {
  if (watchId !== null) navigator.geolocation.clearWatch(watchId);
  watchId = null;
  if (listeners.size === 0) return;
  watchingPrecise = [...listeners].some((l) => l.precise);
  watchId = navigator.geolocation.watchPosition(
    (position) => {
      last = position;
      if (state !== 'ok') setState('ok');
      for (const l of listeners) l.fix(position);
    },
    (error) => setState(error.code === error.PERMISSION_DENIED ? 'denied' : 'unavailable'),
    { enableHighAccuracy: watchingPrecise, maximumAge: 5_000, timeout: 60_000 },
  );
}

/** Starts receiving positions; returns the function that stops. */
export function watchPosition(listener: Listener): () => void {
  if (!('geolocation' in navigator)) {
    listener.state('unavailable');
    return () => {};
  }
  listeners.add(listener);
  listener.state(state);
  if (last) listener.fix(last);
  if (watchId === null || (listener.precise && !watchingPrecise)) restart();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 || [...listeners].some((l) => l.precise) !== watchingPrecise) restart();
  };
}

/** A listener changed its mind about precision (battery low, SOS): watch again if needed. */
export function precisionChanged(): void {
  if (listeners.size > 0 && [...listeners].some((l) => l.precise) !== watchingPrecise) restart();
}
