/**
 * What a browser asked tells the server nothing precise of where someone is: no nearest
 * query, places exports of 0.1° grid areas only, and no URL holding a coordinate of theirs
 * to 3 decimals (about 100 m).
 */
import { expect } from 'vitest';

export function expectPositionKept(asked: string[], points: { latitude: number; longitude: number }[]) {
  expect(asked.filter((url) => url.includes('/api/places/nearest'))).toEqual([]);
  const exports = asked.filter((url) => url.includes('/api/places/export'));
  expect(exports.length).toBeGreaterThan(0);
  for (const url of exports) {
    for (const v of new URL(url).searchParams.get('bbox')!.split(',').map(Number)) {
      expect(Math.abs(v * 10 - Math.round(v * 10)), url).toBeLessThan(1e-9); // a 0.1° grid line
    }
  }
  for (const point of points) {
    for (const url of asked) {
      expect(url).not.toContain(point.latitude.toFixed(3));
      expect(url).not.toContain(point.longitude.toFixed(3));
    }
  }
}
