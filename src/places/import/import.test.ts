import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { backends } from '../../../test/helpers/backends.ts';
import { loadBundledTerritories } from '../../territories/bundled.ts';
import { importTerritories } from '../../territories/import.ts';
import { placesDataPath } from '../demo.ts';
import { compileHours } from '../hours/compile.ts';
import { placesIndex } from '../live-index.ts';
import { parseCsv, parsePoliceCsv } from './csv.ts';
import { ouvertureToOpeningHours } from './dila.ts';
import { ImportFormatError, importPlaces, removeImported } from './import.ts';
import { unproject } from './lambert.ts';
import { parsePlacesFile } from './parse.ts';

const FIXTURES = new URL('../../../test/fixtures/', import.meta.url);
const shared = (file: string) => new URL(file, FIXTURES).pathname;
const POLICE_CSV = readFileSync(shared('police-nationale-export-pn-sample.csv'), 'utf8');

describe('import parsers', () => {
  it('converts DILA ouverture arrays to opening_hours the library reads', () => {
    const value = ouvertureToOpeningHours([
      {
        debut: 'lundi',
        fin: 'vendredi',
        plagesHoraires: [
          { debut: '08:00:00', fin: '12:00:00' },
          { debut: '14:00:00', fin: '16:00:00' },
        ],
      },
      { debut: 'samedi', fin: 'samedi', plagesHoraires: [{ debut: '09:00:00', fin: '12:00:00' }] },
    ]);
    expect(value).toBe('Mo-Fr 08:00-12:00,14:00-16:00; Sa 09:00-12:00');
    expect(compileHours(value, { timeZone: 'Europe/Paris', region: 'metropole' }).kind).toBe('week');
    // Overlapping days add up (OSM additional rule) instead of replacing each other.
    expect(
      ouvertureToOpeningHours([
        { debut: 'lundi', fin: 'vendredi', plagesHoraires: [{ debut: '08:00:00', fin: '12:00:00' }] },
        { debut: 'vendredi', fin: 'vendredi', plagesHoraires: [{ debut: '14:00:00', fin: '17:15:00' }] },
      ]),
    ).toBe('Mo-Fr 08:00-12:00, Fr 14:00-17:15');
    expect(ouvertureToOpeningHours([])).toBeNull();
  });

  it('reads every ouverture of the real DILA file into valid opening_hours', () => {
    const data = JSON.parse(readFileSync(placesDataPath('police-gendarmerie-france.geojson'), 'utf8'));
    let withHours = 0;
    for (const f of data.features) {
      const value = ouvertureToOpeningHours(f.properties.ouverture);
      if (value === null) continue;
      withHours++;
      expect(compileHours(value, { timeZone: 'Europe/Paris', region: 'metropole' }).kind, value).not.toBe(
        'unknown',
      );
    }
    expect(withHours).toBe(382);
  });

  it('parses the official police CSV (quoted, ;-separated) and unprojects Lambert-93 and Lambert New Caledonia', () => {
    const rows = parseCsv(POLICE_CSV);
    expect(rows).toHaveLength(7);
    expect(rows[1].fields[0]).toBe("Commissariat de police d'Oyonnax");
    for (const { fields } of rows.slice(1)) {
      const [lat, lon] = unproject(fields[8], Number(fields[9]), Number(fields[10]))!;
      // The file carries both projected and GPS columns: they agree to within a few metres.
      expect(Math.abs(lat - Number(fields[12])) * 111_000).toBeLessThan(5);
      expect(Math.abs(lon - Number(fields[11])) * 111_000 * Math.cos((lat * Math.PI) / 180)).toBeLessThan(5);
    }
    const parsed = parsePoliceCsv(POLICE_CSV);
    expect(parsed.map((p) => p.kind)).toEqual(Array(6).fill('police'));
    expect(parsed[5]).toMatchObject({
      name: 'Commissariat de police de Nouméa - Secteur Sud-Tuband',
      lat: -22.28784,
    });
  });

  it('rejects a projected-only row in an unsupported projection with its reason', () => {
    const header = POLICE_CSV.split('\n')[0];
    const csv = `${header}\n"Poste X";"1 rue Y";"";"99";"99999";"1 rue Y";"99999";"X";"9999";"1000";"2000";"";""\n`;
    expect(parsePoliceCsv(csv)[0].rejectReason).toBe('unsupported projection EPSG:9999');
  });

  it('refuses as a whole a CSV that is empty or lacks the name or coordinate columns', () => {
    expect(() => parsePoliceCsv('', 'vide.csv')).toThrow(ImportFormatError);
    expect(() => parsePoliceCsv('\uFEFF', 'vide.csv')).toThrow(/^vide\.csv is empty: expected a header line/);
    expect(() => parsePoliceCsv('station;ville\n"A";"Rouen"\n', 'x.csv')).toThrow(
      'x.csv: its header has no name and no coordinate column',
    );
    expect(() => parsePoliceCsv('nom;latitude\n"A";"49.4"\n', 'x.csv')).toThrow(/no coordinate column/);
    expect(() => parsePoliceCsv('id;latitude;longitude\n"1";"49.4";"1.09"\n', 'x.csv')).toThrow(
      /has no name column; a police CSV needs a name column \(service, nom or name\)/,
    );
    // Either pair of coordinate columns will do; a header alone is a file with no records.
    expect(parsePoliceCsv('NOM;Latitude;Longitude\n', 'x.csv')).toEqual([]);
    expect(parsePoliceCsv('service;geocodage_epsg;geocodage_x;geocodage_y\n', 'x.csv')).toEqual([]);
  });

  it('refuses JSON given as CSV, by --format or by its name', () => {
    const geojson = '{"type":"FeatureCollection","features":[]}';
    expect(() => parsePlacesFile(geojson, 'places.geojson', 'csv')).toThrow(
      'places.geojson holds JSON, not CSV: leave out --format csv',
    );
    expect(() => parsePlacesFile(`\uFEFF  ${geojson}`, 'export.csv')).toThrow(
      'export.csv holds JSON, not CSV: import it with --format geojson or --format osm',
    );
    expect(() => parsePlacesFile('[]', 'export.csv')).toThrow(ImportFormatError);
  });
});

/** The values of the 2014 OSM sample the library reads only by guessing French day names. */
const UNREADABLE_IN_2014 = ['Lu-Sam 10:00-21:00', 'Lu-Sam 10:00-21:00', 'Ma-Di 11:00-02:00'];

describe.each(backends())('importPlaces on %s', (backend) => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await makeTestApp(backend);
    await importTerritories(t.services, loadBundledTerritories());
    dir = mkdtempSync(join(tmpdir(), 'havre-import-'));
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports the real DILA police and gendarmerie file, then a re-import changes nothing', async () => {
    const progress: number[] = [];
    const file = placesDataPath('police-gendarmerie-france.geojson');
    const first = await importPlaces(t.services, file, { onProgress: (p) => progress.push(p.done) });
    // Six records repeat their latitude as longitude (Carcassonne's commissariat at 43.21, 43.21,
    // in the Caucasus): rejected, not placed thousands of kilometres away.
    const misplaced = [34, 218, 219, 260, 268, 1537];
    expect(first).toMatchObject({ inserted: 3654, updated: 0, unchanged: 0 });
    expect(first.rejected.map((r) => r.row)).toEqual(misplaced);
    expect(first.rejected[0].reason).toBe(
      "outside France (43.211517, 43.211517): hours are read with France's zones",
    );
    expect(progress.at(-1)).toBe(3654);
    const again = await importPlaces(t.services, file);
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 3654 });
    expect(again.rejected).toHaveLength(6);
    const rouen = await t.services.db.kysely
      .selectFrom('places')
      .selectAll()
      .where('source_id', '=', 'commissariat_police-76540-01')
      .executeTakeFirstOrThrow();
    expect(rouen).toMatchObject({
      kind: 'police',
      source: 'official',
      territory_code: '76540',
      time_zone: 'Europe/Paris',
    });
    const reunion = await t.services.db.kysely
      .selectFrom('places')
      .select(['time_zone', 'holiday_region'])
      .where('source_id', 'like', 'commissariat_police-974%')
      .execute();
    expect(reunion.length).toBeGreaterThan(0);
    expect(reunion.every((r) => r.time_zone === 'Indian/Reunion' && r.holiday_region === 'reunion')).toBe(
      true,
    );
  });

  it('finds the Rouen commissariat from Rouen centre, and the nearest open one on a Monday morning', async () => {
    const index = await placesIndex(t.services);
    const monday10 = Date.parse('2026-11-30T09:00:00Z');
    const [nearest] = index.nearest(49.4402, 1.0949, { at: monday10, kinds: ['police'] });
    expect(nearest.place.name).toBe('Commissariat de police de Rouen');
    // Its hours are unknown: "open only" skips it for the nearest station known to be open.
    const [open] = index.nearest(49.4402, 1.0949, { at: monday10, kinds: ['police'], openOnly: true });
    expect(open.place.name).toBe('Commissariat de police de Sotteville-lès-Rouen');
    const [paris] = index.nearest(48.8846, 2.3206, { at: monday10, kinds: ['police'] });
    expect(paris.place.name).toBe('Commissariat central de police de Paris 17e arrondissement');
    expect(paris.distanceM).toBeLessThan(300);
  });

  it('updates only what changed when a record is edited upstream', async () => {
    const data = JSON.parse(readFileSync(placesDataPath('cidff-france.geojson'), 'utf8'));
    const file = join(dir, 'cidff.geojson');
    writeFileSync(file, JSON.stringify(data));
    expect(await importPlaces(t.services, file)).toMatchObject({ inserted: 112, updated: 0, rejected: [] });
    data.features[0].properties.telephone = '01 23 45 67 89';
    writeFileSync(file, JSON.stringify(data));
    expect(await importPlaces(t.services, file)).toMatchObject({ inserted: 0, updated: 1, unchanged: 111 });
  });

  it('imports the official police CSV, Nouméa in its own time zone', async () => {
    const report = await importPlaces(t.services, shared('police-nationale-export-pn-sample.csv'));
    expect(report).toEqual({
      source: 'official',
      inserted: 6,
      updated: 0,
      unchanged: 0,
      rejected: [],
      unreadableHours: [],
    });
    const noumea = await t.services.db.kysely
      .selectFrom('places')
      .select(['time_zone', 'lon'])
      .where('source_id', 'like', '98818:%')
      .executeTakeFirstOrThrow();
    expect(noumea).toEqual({ time_zone: 'Pacific/Noumea', lon: 166.45292 });
    expect(await importPlaces(t.services, shared('police-nationale-export-pn-sample.csv'))).toMatchObject({
      inserted: 0,
      unchanged: 6,
    });
  });

  it('imports OSM GeoJSON, reporting the real features without a name', async () => {
    const report = await importPlaces(t.services, shared('paris-poi-osm-2014.geojson'));
    expect(report.inserted).toBe(1004 - 107);
    expect(report.rejected).toHaveLength(107);
    expect(new Set(report.rejected.map((r) => r.reason))).toEqual(new Set(['missing name']));
    // Kept, hours shown as unknown, and said: "Lu-Sam 10:00-21:00" needs a guess we do not make.
    const rows = JSON.parse(readFileSync(shared('paris-poi-osm-2014.geojson'), 'utf8')).features;
    expect(report.unreadableHours.map((row) => rows[row - 1].properties.opening_hours)).toEqual(
      UNREADABLE_IN_2014,
    );
    const again = await importPlaces(t.services, shared('paris-poi-osm-2014.geojson'));
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 897 });
    const pub = await t.services.db.kysely
      .selectFrom('places')
      .select(['kind', 'source'])
      .where('source_id', 'like', 'node/%')
      .where('kind', '=', 'bar')
      .executeTakeFirstOrThrow();
    expect(pub.source).toBe('osm');
  });

  it('imports Overpass JSON and rejects bad coordinates, missing names and unknown kinds with reasons', async () => {
    const restaurants = JSON.parse(readFileSync(shared('paris-restaurants-osm-2023.geojson'), 'utf8'));
    const elements = restaurants.features.map(
      (f: { id: string; geometry: { coordinates: number[] }; properties: object }) => ({
        type: 'node',
        id: Number(f.id.split('/')[1]),
        lat: f.geometry.coordinates[1],
        lon: f.geometry.coordinates[0],
        tags: f.properties,
      }),
    );
    elements.push(
      { type: 'node', id: 1, lat: 91, lon: 2.3, tags: { name: 'Nowhere', amenity: 'bar' } },
      { type: 'node', id: 2, lat: 48.8, lon: 2.3, tags: { amenity: 'bar' } },
      { type: 'node', id: 3, lat: 48.8, lon: 2.3, tags: { name: 'Bench', amenity: 'bench' } },
      { type: 'way', id: 4, tags: { name: 'Bar sans centre', amenity: 'bar' } },
      { type: 'node', id: 5, lat: 48.8, lon: 2.3 },
      // Read with Paris's clock and holidays, in no territory: not a place Havre can serve.
      {
        type: 'node',
        id: 6,
        lat: 40.7128,
        lon: -74.006,
        tags: { name: 'NYPD 1st Precinct', amenity: 'police' },
      },
    );
    const file = join(dir, 'overpass.json');
    writeFileSync(file, JSON.stringify({ version: 0.6, elements }));
    const report = await importPlaces(t.services, file);
    expect(report.inserted).toBe(64);
    expect(report.rejected).toEqual([
      { row: 65, reason: 'bad coordinates (91, 2.3)' },
      { row: 66, reason: 'missing name' },
      { row: 67, reason: 'unknown kind "amenity=bench"' },
      { row: 68, reason: 'no coordinates (way/4: export with "out center")' },
      { row: 69, reason: 'no tags (a way vertex, not a place)' },
      { row: 70, reason: "outside France (40.7128, -74.006): hours are read with France's zones" },
    ]);
    const cannibale = await t.services.db.kysely
      .selectFrom('places')
      .select(['opening_hours', 'address'])
      .where('source_id', '=', 'node/252590177')
      .executeTakeFirstOrThrow();
    expect(cannibale.opening_hours).toBe('Mo-Su 07:30-02:00; Sa 09:00-02:00; Su 09:00-24:00');
    expect(cannibale.address).toBe('93 Rue Jean-Pierre Timbaud, 75011 Paris');
  });

  it('refuses a file that is neither GeoJSON nor Overpass JSON', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{"hello": 1}');
    await expect(importPlaces(t.services, file)).rejects.toThrow(/expected a GeoJSON FeatureCollection/);
  });

  it('says when a rejected record was stored by an earlier import, and removes it on request', async () => {
    const feature = (lon: number) => ({
      type: 'Feature',
      id: 'gendarmerie-e2e-1',
      properties: { amenity: 'police', name: 'Brigade de test', police: 'gendarmerie' },
      geometry: { type: 'Point', coordinates: [lon, 45.75] },
    });
    const file = join(dir, 'brigade.geojson');
    const write = (lon: number) =>
      writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: [feature(lon)] }));
    write(4.85);
    expect(await importPlaces(t.services, file, { source: 'official' })).toMatchObject({ inserted: 1 });
    const near = async () =>
      (await placesIndex(t.services))
        .nearest(45.75, 4.85, { at: Date.now(), kinds: ['police'] })
        .some((hit) => hit.place.name === 'Brigade de test');
    expect(await near()).toBe(true);
    // The source now repeats the latitude as longitude (as six records of the official file do).
    write(45.75);
    const report = await importPlaces(t.services, file, { source: 'official' });
    expect(report.rejected).toEqual([
      {
        row: 1,
        reason: "outside France (45.75, 45.75): hours are read with France's zones",
        storedId: 'gendarmerie-e2e-1',
      },
    ]);
    expect(await near()).toBe(true); // an import never deletes
    expect(await removeImported(t.services, 'official', ['gendarmerie-e2e-1', 'nowhere-1'])).toEqual({
      removed: ['gendarmerie-e2e-1'],
      unknown: ['nowhere-1'],
    });
    expect(await near()).toBe(false);
    // Only imported places of that source: the same id under osm is another place.
    expect(await removeImported(t.services, 'osm', ['gendarmerie-e2e-1'])).toEqual({
      removed: [],
      unknown: ['gendarmerie-e2e-1'],
    });
  });
});
