/**
 * The compact per-area export the PWA caches for offline nearest refuge: every field the
 * index needs, compiled hours shared between places (most share a handful of tables), and
 * the raw value for rules only the opening_hours library can evaluate. No I/O.
 */
import { type CompiledHours, hoursToJson } from '../hours/types.ts';
import type { PlaceKind } from '../kinds.ts';
import type { IndexedPlace } from './places-index.ts';

export const EXPORT_FORMAT = 'havre-places-1';

export interface ExportedPlace {
  id: string;
  name: string;
  kind: PlaceKind;
  lat: number;
  lon: number;
  address: string | null;
  phone: string | null;
  partner: boolean;
  trainingExpiresAt: number | null;
  closedUntil: number | null;
  /** Position of the place's compiled hours in `hours`. */
  hours: number;
}

export interface PlacesExport {
  format: typeof EXPORT_FORMAT;
  /** ISO 8601: when the export was made (the PWA refreshes it when stale). */
  generatedAt: string;
  bbox: [number, number, number, number];
  hours: CompiledHours[];
  places: ExportedPlace[];
}

export function buildExport(
  places: readonly IndexedPlace[],
  bbox: [number, number, number, number],
  now: number,
): PlacesExport {
  const hours: CompiledHours[] = [];
  const keys = new Map<string, number>();
  const out = places.map((p) => {
    const json = hoursToJson(p.hours);
    const key = JSON.stringify(json);
    let ref = keys.get(key);
    if (ref === undefined) {
      ref = hours.length;
      hours.push(json);
      keys.set(key, ref);
    }
    return {
      id: p.id,
      name: p.name,
      kind: p.kind,
      lat: p.lat,
      lon: p.lon,
      address: p.address,
      phone: p.phone,
      partner: p.partner,
      trainingExpiresAt: p.trainingExpiresAt,
      closedUntil: p.closedUntil,
      hours: ref,
    };
  });
  return { format: EXPORT_FORMAT, generatedAt: new Date(now).toISOString(), bbox, hours, places: out };
}
