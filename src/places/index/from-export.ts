/**
 * Rebuilds the same index the server uses from a cached export, in the browser. Rules that
 * need the opening_hours library are unknown unless the caller passes `attachRules` (the
 * PWA may load the library lazily and pass `withLibrary` from hours/fallback.ts).
 * No I/O, no Node imports.
 */
import type { CompiledHours } from '../hours/types.ts';
import { isPlaceKind } from '../kinds.ts';
import { EXPORT_FORMAT, type PlacesExport } from './export-format.ts';
import { type IndexedPlace, PlacesIndex } from './places-index.ts';

export interface FromExportOptions {
  /** Gives rules an evaluator (e.g. `withLibrary`); without it they read as unknown. */
  attachRules?: (hours: CompiledHours) => CompiledHours;
  nodeSize?: number; // kd-tree node size (default 64)
}

export function indexFromExport(data: PlacesExport, options: FromExportOptions = {}): PlacesIndex {
  if (data?.format !== EXPORT_FORMAT) {
    throw new Error(`Unsupported export format ${String(data?.format)}, expected ${EXPORT_FORMAT}.`);
  }
  const hours = data.hours.map((h) =>
    h.kind === 'rules' && options.attachRules ? options.attachRules(h) : h,
  );
  const places: IndexedPlace[] = [];
  for (const p of data.places) {
    const compiled = hours[p.hours];
    if (!compiled) throw new Error(`Place ${p.id} refers to hours ${p.hours} of ${hours.length}.`);
    if (!isPlaceKind(p.kind)) continue; // a newer server may know more kinds
    places.push({ ...p, hours: compiled });
  }
  return new PlacesIndex(places, options.nodeSize);
}
