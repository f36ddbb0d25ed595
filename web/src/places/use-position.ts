/**
 * The user's position, asked once when the screen opens (finding a refuge is why they came)
 * and again on demand. It stays on the phone except for the nearest query itself; it is
 * never stored.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

export interface Position {
  lat: number;
  lon: number;
  /** Metres (radius of 68 % confidence), as the device reports it. */
  accuracy: number;
}

export type PositionState =
  | { status: 'asking'; position: Position | null }
  | { status: 'ok'; position: Position }
  | { status: 'denied' | 'unavailable'; position: Position | null };

const OPTIONS: PositionOptions = {
  enableHighAccuracy: true,
  maximumAge: 60_000, // a fix from the last minute is close enough to rank places
  timeout: 15_000,
};

export function usePosition(): PositionState & { locate(): void } {
  const [state, setState] = useState<PositionState>({ status: 'asking', position: null });
  const last = useRef<Position | null>(null);

  const locate = useCallback(() => {
    if (!('geolocation' in navigator)) {
      setState({ status: 'unavailable', position: last.current });
      return;
    }
    setState({ status: 'asking', position: last.current });
    navigator.geolocation.getCurrentPosition(
      ({ coords }) => {
        const position = { lat: coords.latitude, lon: coords.longitude, accuracy: coords.accuracy };
        last.current = position;
        setState({ status: 'ok', position });
      },
      (error) =>
        setState({
          status: error.code === error.PERMISSION_DENIED ? 'denied' : 'unavailable',
          position: last.current,
        }),
      OPTIONS,
    );
  }, []);

  useEffect(() => locate(), [locate]);
  return { ...state, locate };
}
