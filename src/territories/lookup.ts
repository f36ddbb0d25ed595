/**
 * Point → territory. A uniform grid over bounding boxes narrows the candidates, then an
 * exact point-in-polygon test decides. No I/O.
 *
 * When several territories contain the point:
 * - nested territories (a commune and its arrondissements): the smallest wins;
 * - partial overlaps, which happen where two sources draw a shared border differently
 *   (Paris open data vs IGN's simplified communes): the territory the point lies deeper
 *   inside wins, so a sliver of a few metres goes to the side it mostly belongs to.
 */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { type Boundary, bboxOf } from './geojson.ts';

export interface TerritoryShape {
  code: string;
  boundary: Boundary;
}

interface Entry {
  code: string;
  boundary: Boundary;
  bbox: [number, number, number, number];
  area: number;
}

export class TerritoryLookup {
  private readonly grid = new Map<number, Entry[]>();

  /**
   * @param cellDegrees grid cell size in degrees: 0.05° ≈ 5 km, a few candidates per cell
   *   for arrondissement-sized territories.
   */
  constructor(
    shapes: TerritoryShape[],
    private readonly cellDegrees = 0.05,
  ) {
    const entries = shapes
      .map((s) => {
        const bbox = bboxOf(s.boundary);
        return { code: s.code, boundary: s.boundary, bbox, area: (bbox[2] - bbox[0]) * (bbox[3] - bbox[1]) };
      })
      .sort((a, b) => a.area - b.area || a.code.localeCompare(b.code));
    for (const entry of entries) {
      const [x0, y0, x1, y1] = this.cellRange(entry.bbox);
      for (let x = x0; x <= x1; x++) {
        for (let y = y0; y <= y1; y++) {
          const key = this.key(x, y);
          const list = this.grid.get(key);
          if (list) list.push(entry);
          else this.grid.set(key, [entry]);
        }
      }
    }
  }

  get size(): number {
    return new Set([...this.grid.values()].flat().map((e) => e.code)).size;
  }

  /** INSEE code of the territory that contains the point, or null. */
  find(lat: number, lon: number): string | null {
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) return null;
    const candidates = this.grid.get(
      this.key(Math.floor(lon / this.cellDegrees), Math.floor(lat / this.cellDegrees)),
    );
    if (!candidates) return null;
    const point = [lon, lat];
    let best: Entry | null = null;
    for (const entry of candidates) {
      const [minLon, minLat, maxLon, maxLat] = entry.bbox;
      if (lon < minLon || lon > maxLon || lat < minLat || lat > maxLat) continue;
      if (!booleanPointInPolygon(point, entry.boundary)) continue;
      if (!best) {
        best = entry;
        continue;
      }
      // Candidates come smallest first: a nested one already won against its container.
      if (contains(entry.bbox, best.bbox)) continue;
      if (depth(lat, lon, entry.boundary) > depth(lat, lon, best.boundary)) best = entry;
    }
    return best?.code ?? null;
  }

  private cellRange([minLon, minLat, maxLon, maxLat]: [number, number, number, number]) {
    const c = this.cellDegrees;
    return [Math.floor(minLon / c), Math.floor(minLat / c), Math.floor(maxLon / c), Math.floor(maxLat / c)];
  }

  private key(x: number, y: number): number {
    // x in [-3600, 3600], y in [-1800, 1800] for 0.05°: a unique integer per cell.
    return (x + 8192) * 16384 + (y + 8192);
  }
}

function contains(outer: [number, number, number, number], inner: [number, number, number, number]): boolean {
  return outer[0] <= inner[0] && outer[1] <= inner[1] && outer[2] >= inner[2] && outer[3] >= inner[3];
}

/** Distance (in degrees of latitude, longitudes scaled) from the point to the nearest edge. */
function depth(lat: number, lon: number, boundary: Boundary): number {
  const kx = Math.cos((lat * Math.PI) / 180);
  const polygons = boundary.type === 'Polygon' ? [boundary.coordinates] : boundary.coordinates;
  let best = Infinity;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (let i = 1; i < ring.length; i++) {
        const ax = (ring[i - 1][0] - lon) * kx;
        const ay = ring[i - 1][1] - lat;
        const bx = (ring[i][0] - lon) * kx;
        const by = ring[i][1] - lat;
        const dx = bx - ax;
        const dy = by - ay;
        const len = dx * dx + dy * dy;
        const t = len === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len));
        const d = (ax + t * dx) ** 2 + (ay + t * dy) ** 2;
        if (d < best) best = d;
      }
    }
  }
  return Math.sqrt(best);
}
