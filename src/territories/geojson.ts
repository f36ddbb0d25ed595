/**
 * Validation of boundary geometries (RFC 7946 Polygon / MultiPolygon, WGS84), with
 * messages precise enough to fix the file.
 */
export type Position = [number, number];
export type Polygon = { type: 'Polygon'; coordinates: Position[][] };
export type MultiPolygon = { type: 'MultiPolygon'; coordinates: Position[][][] };
export type Boundary = Polygon | MultiPolygon;

export class InvalidGeometry extends Error {}

function checkRing(ring: unknown, where: string): asserts ring is Position[] {
  if (!Array.isArray(ring)) throw new InvalidGeometry(`${where}: a ring must be an array of positions`);
  if (ring.length < 4)
    throw new InvalidGeometry(`${where}: a ring needs at least 4 positions, got ${ring.length}`);
  ring.forEach((p, i) => {
    if (!Array.isArray(p) || p.length < 2 || !p.every((n) => typeof n === 'number' && Number.isFinite(n))) {
      throw new InvalidGeometry(`${where}[${i}]: a position is [longitude, latitude] numbers`);
    }
    const [lon, lat] = p as number[];
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
      throw new InvalidGeometry(`${where}[${i}]: [${lon}, ${lat}] is outside WGS84 (longitude first)`);
    }
  });
  const first = ring[0] as number[];
  const last = ring[ring.length - 1] as number[];
  if (first[0] !== last[0] || first[1] !== last[1])
    throw new InvalidGeometry(`${where}: a ring must be closed`);
}

/** Returns the geometry typed as a Boundary, or throws InvalidGeometry saying what is wrong. */
export function asBoundary(geometry: unknown): Boundary {
  const g = geometry as { type?: unknown; coordinates?: unknown };
  if (!g || typeof g !== 'object') throw new InvalidGeometry('geometry must be an object');
  if (g.type === 'Polygon') {
    if (!Array.isArray(g.coordinates) || g.coordinates.length === 0) {
      throw new InvalidGeometry('Polygon: coordinates must be a non-empty array of rings');
    }
    g.coordinates.forEach((ring, i) => {
      checkRing(ring, `coordinates[${i}]`);
    });
    return g as Polygon;
  }
  if (g.type === 'MultiPolygon') {
    if (!Array.isArray(g.coordinates) || g.coordinates.length === 0) {
      throw new InvalidGeometry('MultiPolygon: coordinates must be a non-empty array of polygons');
    }
    g.coordinates.forEach((polygon, i) => {
      if (!Array.isArray(polygon) || polygon.length === 0)
        throw new InvalidGeometry(`coordinates[${i}]: empty polygon`);
      polygon.forEach((ring, j) => {
        checkRing(ring, `coordinates[${i}][${j}]`);
      });
    });
    return g as MultiPolygon;
  }
  throw new InvalidGeometry(`expected a Polygon or MultiPolygon, got ${String(g.type)}`);
}

export function bboxOf(boundary: Boundary): [number, number, number, number] {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  const polygons = boundary.type === 'Polygon' ? [boundary.coordinates] : boundary.coordinates;
  for (const polygon of polygons) {
    for (const [lon, lat] of polygon[0]) {
      if (lon < minLon) minLon = lon;
      if (lat < minLat) minLat = lat;
      if (lon > maxLon) maxLon = lon;
      if (lat > maxLat) maxLat = lat;
    }
  }
  return [minLon, minLat, maxLon, maxLat];
}
