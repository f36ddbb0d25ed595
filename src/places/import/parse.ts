/** Chooses the parser for a file's content. No I/O. */
import type { PlaceSource } from '../kinds.ts';
import { parsePoliceCsv } from './csv.ts';
import { isDilaCollection, parseDilaFeature } from './dila.ts';
import { parseGeoJsonFeature, parseOverpassElement } from './geojson.ts';
import { ImportFormatError, type ParsedPlace } from './types.ts';

export { ImportFormatError };

export type ImportFormat = 'csv' | 'geojson' | 'osm';
export const IMPORT_FORMATS: readonly ImportFormat[] = ['csv', 'geojson', 'osm'];

export interface ParsedFile {
  format: ImportFormat;
  /** The layout recognised: dila, police-csv, geojson, overpass. */
  layout: 'dila' | 'police-csv' | 'geojson' | 'overpass';
  /** Source the records get unless the caller says otherwise. */
  defaultSource: Exclude<PlaceSource, 'partner'>;
  records: ParsedPlace[];
}

export function parsePlacesFile(content: string, fileName: string, format?: ImportFormat): ParsedFile {
  const chosen = format ?? (/\.csv$/i.test(fileName) ? 'csv' : undefined);
  if (chosen === 'csv') {
    // JSON read as CSV is one odd header and rows of braces: every row rejected, no word of why.
    if (/^\s*[{[]/.test(content.replace(/^\uFEFF/, ''))) {
      throw new ImportFormatError(
        `${fileName} holds JSON, not CSV: ${
          format
            ? 'leave out --format csv (GeoJSON and Overpass JSON are recognised from their content)'
            : 'import it with --format geojson or --format osm'
        }`,
      );
    }
    return {
      format: 'csv',
      layout: 'police-csv',
      defaultSource: 'official',
      records: parsePoliceCsv(content, fileName),
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(content.replace(/^\uFEFF/, ''));
  } catch {
    throw new ImportFormatError(`${fileName} is not JSON (use --format csv for CSV files)`);
  }
  const obj = (json ?? {}) as { type?: unknown; features?: unknown; elements?: unknown };
  if (Array.isArray(obj.elements) && chosen !== 'geojson') {
    return {
      format: 'osm',
      layout: 'overpass',
      defaultSource: 'osm',
      records: obj.elements.map((e, i) => parseOverpassElement(e, i + 1)),
    };
  }
  if (obj.type === 'FeatureCollection' && Array.isArray(obj.features) && chosen !== 'osm') {
    const features = obj.features as unknown[];
    if (isDilaCollection(features)) {
      return {
        format: 'geojson',
        layout: 'dila',
        defaultSource: 'official',
        records: features.map((f, i) => parseDilaFeature(f, i + 1)),
      };
    }
    const records = features.map((f, i) => parseGeoJsonFeature(f, i + 1));
    const fromOsm = records.some((r) => /^(node|way|relation)\/\d+$/.test(r.sourceId ?? ''));
    return { format: 'geojson', layout: 'geojson', defaultSource: fromOsm ? 'osm' : 'official', records };
  }
  throw new ImportFormatError(
    `${fileName}: expected a GeoJSON FeatureCollection or Overpass JSON ({"elements": […]})` +
      (chosen ? ` for --format ${chosen}` : ''),
  );
}
