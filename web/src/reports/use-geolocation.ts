/**
 * The phone's position, asked for once when a screen needs it. It stays in memory for the
 * screen and leaves the phone only inside the report (or the "near me" question) it serves.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

export interface Position {
  lat: number;
  lon: number;
  /** Metres, as the browser estimates it. */
  accuracy: number;
}

export type GeoStatus = 'idle' | 'locating' | 'found' | 'denied' | 'unsupported';

export function useGeolocation() {
  const [status, setStatus] = useState<GeoStatus>(() =>
    typeof navigator !== 'undefined' && 'geolocation' in navigator ? 'idle' : 'unsupported',
  );
  const [position, setPosition] = useState<Position | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true; // again after a remount (React's strict mode mounts twice)
    return () => {
      mounted.current = false;
    };
  }, []);

  const locate = useCallback(() => {
    if (!('geolocation' in navigator)) {
      setStatus('unsupported');
      return;
    }
    setStatus('locating');
    navigator.geolocation.getCurrentPosition(
      (found) => {
        if (!mounted.current) return;
        setPosition({
          lat: found.coords.latitude,
          lon: found.coords.longitude,
          accuracy: Math.round(found.coords.accuracy),
        });
        setStatus('found');
      },
      () => {
        if (mounted.current) setStatus('denied');
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  }, []);

  return { status, position, locate };
}
