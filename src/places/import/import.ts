/**
 * `importPlaces`: reads a file, parses it, and upserts by (source, source id) — a second
 * import of the same file changes nothing. Every rejected record is reported with its
 * reason. Places missing from a later file are kept (an import never deletes).
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Services } from '../../server/services.ts';
import { territoryAt } from '../../territories/registry.ts';
import { isValidOpeningHours } from '../hours/compile.ts';
import { zoneAt } from '../hours/zones.ts';
import type { PlaceKind, PlaceSource } from '../kinds.ts';
import { placesChanged } from '../live-index.ts';
import type { NewPlace } from '../store.ts';
import { type ImportFormat, ImportFormatError, parsePlacesFile } from './parse.ts';
import { type ParsedPlace, type Rejected, rejectionOf } from './types.ts';

export { ImportFormatError };

export interface ImportOptions {
  format?: ImportFormat; // csv | geojson | osm (default: from the file name and content)
  source?: Exclude<PlaceSource, 'partner'>; // official | osm (default: from the layout)
  onProgress?: (progress: { done: number; total: number }) => void; // after each batch
}

export interface ImportReport {
  /** The source the records were stored under (given, or read from the file's layout). */
  source: Exclude<PlaceSource, 'partner'>;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: Rejected[];
  /**
   * Rows stored with opening hours Havre cannot read: the place is kept, its hours shown as
   * unknown (never as open). Listed so that the operator can have the source corrected.
   */
  unreadableHours: number[];
}

const BATCH = 500;
const MAX_BYTES = 256 * 1024 * 1024;

/** The columns an import owns; partner fields are never touched by an import. */
type Owned = Pick<
  NewPlace,
  | 'name'
  | 'kind'
  | 'lat'
  | 'lon'
  | 'address'
  | 'phone'
  | 'opening_hours'
  | 'time_zone'
  | 'holiday_region'
  | 'accessibility'
  | 'territory_code'
>;
const OWNED: (keyof Owned)[] = [
  'name',
  'kind',
  'lat',
  'lon',
  'address',
  'phone',
  'opening_hours',
  'time_zone',
  'holiday_region',
  'accessibility',
  'territory_code',
];

export async function importPlaces(
  services: Services,
  filePath: string,
  options: ImportOptions = {},
): Promise<ImportReport> {
  if (options.source && options.source !== 'official' && options.source !== 'osm') {
    throw new ImportFormatError(`--source must be official or osm, not ${options.source}`);
  }
  const content = await readFile(filePath);
  if (content.byteLength > MAX_BYTES)
    throw new ImportFormatError(`${basename(filePath)} is larger than 256 MB`);
  const parsed = parsePlacesFile(content.toString('utf8'), basename(filePath), options.format);
  const source = options.source ?? parsed.defaultSource;
  return upsertParsed(services, parsed.records, source, options.onProgress);
}

export async function upsertParsed(
  services: Services,
  records: ParsedPlace[],
  source: Exclude<PlaceSource, 'partner'>,
  onProgress?: ImportOptions['onProgress'],
): Promise<ImportReport> {
  const { db, clock } = services;
  const report: ImportReport = {
    source,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: [],
    unreadableHours: [],
  };
  const existing = new Map<string, Owned & { id: string }>();
  for (const row of await db.kysely
    .selectFrom('places')
    .select(['id', 'source_id', ...OWNED])
    .where('source', '=', source)
    .execute()) {
    existing.set(row.source_id, row);
  }
  const valid: ParsedPlace[] = [];
  const seen = new Map<string, number>();
  for (const r of records) {
    const reason = rejectionOf(r);
    if (reason) {
      // An import never deletes (a file may be partial), but a record the file now gets wrong
      // may have been stored right or wrong before: say so, the operator decides.
      const stored = r.sourceId && existing.has(r.sourceId) ? { storedId: r.sourceId } : {};
      report.rejected.push({ row: r.row, reason, ...stored });
    } else if (seen.has(r.sourceId!)) {
      report.rejected.push({
        row: r.row,
        reason: `duplicate id ${r.sourceId} (first at ${seen.get(r.sourceId!)})`,
      });
    } else {
      seen.set(r.sourceId!, r.row);
      valid.push(r);
      if (r.openingHours && !isValidOpeningHours(r.openingHours)) report.unreadableHours.push(r.row);
    }
  }
  const now = clock.now();
  onProgress?.({ done: 0, total: valid.length });
  for (let start = 0; start < valid.length; start += BATCH) {
    const inserts: NewPlace[] = [];
    const updates: { id: string; values: Owned }[] = [];
    for (const r of valid.slice(start, start + BATCH)) {
      const lat = r.lat!;
      const lon = r.lon!;
      const zone = zoneAt(lat, lon, r.postcode);
      const values: Owned = {
        name: r.name!,
        kind: r.kind as PlaceKind,
        lat,
        lon,
        address: r.address,
        phone: r.phone,
        opening_hours: r.openingHours,
        time_zone: zone.timeZone,
        holiday_region: zone.region,
        accessibility: r.accessibility,
        territory_code: await territoryAt(services, lat, lon),
      };
      const before = existing.get(r.sourceId!);
      if (!before) inserts.push(newPlace(values, source, r.sourceId!, now));
      else if (OWNED.some((k) => before[k] !== values[k])) updates.push({ id: before.id, values });
      else report.unchanged += 1;
    }
    await db.kysely.transaction().execute(async (tx) => {
      if (inserts.length) await tx.insertInto('places').values(inserts).execute();
      for (const u of updates) {
        await tx
          .updateTable('places')
          .set({ ...u.values, updated_at: now })
          .where('id', '=', u.id)
          .execute();
      }
    });
    report.inserted += inserts.length;
    report.updated += updates.length;
    onProgress?.({ done: Math.min(start + BATCH, valid.length), total: valid.length });
  }
  if (report.inserted || report.updated) await placesChanged(services);
  return report;
}

function newPlace(values: Owned, source: PlaceSource, sourceId: string, now: number): NewPlace {
  return {
    id: randomUUID(),
    ...values,
    source,
    source_id: sourceId,
    status: null,
    owner_user_id: null,
    charter_accepted_at: null,
    trained_staff_count: 0,
    last_training_date: null,
    training_expires_on: null,
    training_reminder_for: null,
    closed_until: null,
    closed_reason: null,
    created_at: now,
    updated_at: now,
  };
}

/**
 * Removes imported places by their source ids (`havre places remove`): the way out for a
 * record an earlier import stored and the source has since corrected or withdrawn. Partner
 * venues are never removed here (they withdraw, or are rejected in the review).
 */
export async function removeImported(
  services: Services,
  source: Exclude<PlaceSource, 'partner'>,
  sourceIds: string[],
): Promise<{ removed: string[]; unknown: string[] }> {
  if (sourceIds.length === 0) return { removed: [], unknown: [] };
  const rows = await services.db.kysely
    .deleteFrom('places')
    .where('source', '=', source)
    .where('source_id', 'in', sourceIds)
    .returning('source_id')
    .execute();
  const removed = new Set(rows.map((r) => r.source_id));
  if (removed.size) await placesChanged(services);
  return {
    removed: sourceIds.filter((id) => removed.has(id)),
    unknown: sourceIds.filter((id) => !removed.has(id)),
  };
}
