/** Generic GeoJSON with OSM-like tags, and OpenStreetMap Overpass JSON. No I/O. */
import { placeFromTags, type Tags } from './osm-tags.ts';
import { num, type ParsedPlace, text } from './types.ts';

type Position = number[];

/** Mean of the outer ring's vertices: good enough for a building outline. */
function centre(geometry: { type?: string; coordinates?: unknown }): [number, number] | null {
  const c = geometry.coordinates;
  if (geometry.type === 'Point' && Array.isArray(c)) return [Number(c[0]), Number(c[1])];
  let ring: Position[] | undefined;
  if (geometry.type === 'Polygon' && Array.isArray(c)) ring = c[0] as Position[];
  if (geometry.type === 'MultiPolygon' && Array.isArray(c)) ring = (c[0] as Position[][])?.[0];
  if (!Array.isArray(ring) || ring.length === 0) return null;
  const pts = ring.length > 1 ? ring.slice(0, -1) : ring;
  return [
    pts.reduce((s, p) => s + Number(p[0]), 0) / pts.length,
    pts.reduce((s, p) => s + Number(p[1]), 0) / pts.length,
  ];
}

export function parseGeoJsonFeature(feature: unknown, row: number): ParsedPlace {
  const f = (feature ?? {}) as {
    id?: unknown;
    geometry?: { type?: string; coordinates?: unknown };
    properties?: Tags;
  };
  const tags = f.properties ?? {};
  const lonLat = f.geometry ? centre(f.geometry) : null;
  const name = text(tags.name);
  const lon = num(lonLat?.[0]);
  const lat = num(lonLat?.[1]);
  // Without an id, name + rounded position is stable from one import to the next.
  const sourceId =
    text(f.id) ??
    text(tags['@id']) ??
    text(tags.id) ??
    (name && lat !== null && lon !== null ? `${name}@${lat.toFixed(5)},${lon.toFixed(5)}` : null);
  const place = placeFromTags(tags, row, sourceId, lat, lon);
  if (f.geometry && !lonLat) place.rejectReason = `unsupported geometry ${String(f.geometry.type)}`;
  if (!f.geometry) place.rejectReason = 'missing geometry';
  return place;
}

interface OverpassElement {
  type?: string;
  id?: number;
  lat?: number;
  lon?: number;
  center?: { lat?: number; lon?: number };
  tags?: Tags;
}

export function parseOverpassElement(element: unknown, row: number): ParsedPlace {
  const e = (element ?? {}) as OverpassElement;
  const lat = num(e.lat) ?? num(e.center?.lat);
  const lon = num(e.lon) ?? num(e.center?.lon);
  const sourceId = e.type && e.id !== undefined ? `${e.type}/${e.id}` : null;
  const place = placeFromTags(e.tags ?? {}, row, sourceId, lat, lon);
  if (!e.tags || Object.keys(e.tags).length === 0) place.rejectReason = 'no tags (a way vertex, not a place)';
  else if (lat === null || lon === null)
    place.rejectReason = `no coordinates (${sourceId}: export with "out center")`;
  return place;
}
