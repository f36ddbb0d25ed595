/** What every import format parses into, before validation and upsert. No I/O. */
import { isInFrance } from '../hours/zones.ts';
import type { Accessibility, PlaceKind } from '../kinds.ts';

/** A file that is not what its format says (the whole file is refused: nothing is imported). */
export class ImportFormatError extends Error {}

export interface ParsedPlace {
  /** 1-based record number in the file (CSV: line number; JSON: feature/element number). */
  row: number;
  sourceId: string | null;
  name: string | null;
  /** A kind, or the raw value that could not be mapped (rejected as unknown kind). */
  kind: PlaceKind | { unknown: string };
  lat: number | null;
  lon: number | null;
  address: string | null;
  phone: string | null;
  openingHours: string | null;
  accessibility: Accessibility | null;
  /** Postcode or INSEE code: refines the holiday calendar (Alsace-Moselle). */
  postcode: string | null;
  /** Set by a parser that already knows the record is unusable (e.g. unsupported projection). */
  rejectReason?: string;
}

export interface Rejected {
  /** Set when an earlier import stored this record: that copy stays until removed by hand. */
  storedId?: string;
  row: number;
  reason: string;
}

export const text = (value: unknown): string | null => {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const s = String(value).replace(/\s+/g, ' ').trim();
  return s ? s : null;
};

export const num = (value: unknown): number | null => {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const n = Number(value.trim().replace(',', '.'));
  return Number.isFinite(n) ? n : null;
};

/** Why a parsed record cannot be stored, or null. */
export function rejectionOf(p: ParsedPlace): string | null {
  if (p.rejectReason) return p.rejectReason;
  if (!p.name) return 'missing name';
  if (p.name.length > 200) return 'name longer than 200 characters';
  if (p.lat === null || p.lon === null) return 'missing or unreadable coordinates';
  if (p.lat < -90 || p.lat > 90 || p.lon < -180 || p.lon > 180) return `bad coordinates (${p.lat}, ${p.lon})`;
  if (p.lat === 0 && p.lon === 0) return 'bad coordinates (0, 0)';
  if (!isInFrance(p.lat, p.lon))
    return `outside France (${p.lat}, ${p.lon}): hours are read with France's zones`;
  if (typeof p.kind !== 'string') return `unknown kind "${p.kind.unknown}"`;
  if (!p.sourceId) return 'missing id';
  return null;
}
