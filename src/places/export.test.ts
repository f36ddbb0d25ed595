/**
 * GET /api/places/export: the area a phone searches in instead of sending its position
 * (web/src/places/nearest-on-phone.ts) — the same answers as the server's index, gzipped for
 * a browser that accepts it, and revalidated at each search (export-answer.ts).
 */
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import { loadBundledTerritories } from '../territories/bundled.ts';
import { importTerritories } from '../territories/import.ts';
import { placesDataPath } from './demo.ts';
import { importPlaces } from './import/import.ts';
import { indexFromExport } from './index/from-export.ts';
import { placesChanged } from './live-index.ts';

describe.each(backends())('places export on %s', (backend) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(backend);
    await importTerritories(t.services, loadBundledTerritories());
    await importPlaces(t.services, placesDataPath('police-gendarmerie-france.geojson'));
  });
  afterEach(async () => {
    await t.close();
  });

  const nearest = async (query: string) => t.app.inject({ url: `/api/places/nearest?${query}` });

  it('exports an area that rebuilds the same nearest answers in the browser index', async () => {
    const res = await t.app.inject({ url: '/api/places/export?bbox=0.5,49.0,1.6,49.8' });
    expect(res.statusCode).toBe(200);
    const data = res.json();
    expect(data.format).toBe('havre-places-1');
    const offline = indexFromExport(data);
    const at = Date.parse('2026-11-30T09:00:00Z');
    const online = await nearest(`lat=49.4402&lon=1.0949&limit=10&openOnly=true&at=2026-11-30T09:00:00Z`);
    expect(
      offline.nearest(49.4402, 1.0949, { at, limit: 10, openOnly: true }).map((h) => h.place.id),
    ).toEqual(online.json().places.map((p: { id: string }) => p.id));
  });

  it('gzips the export for a browser that accepts it, with the same JSON inside', async () => {
    const url = '/api/places/export?bbox=0.5,49.0,1.6,49.8';
    const plain = await t.app.inject({ url });
    expect(plain.headers['content-encoding']).toBeUndefined();
    const zipped = await t.app.inject({ url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(zipped.statusCode).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toContain('accept-encoding');
    expect(zipped.headers['content-type']).toMatch(/^application\/json/);
    expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
    expect(JSON.parse(gunzipSync(zipped.rawPayload).toString('utf8'))).toEqual(plain.json());
    const refused = await t.app.inject({ url, headers: { 'accept-encoding': 'gzip;q=0, br' } });
    expect(refused.headers['content-encoding']).toBeUndefined();
  });

  it('has the browser revalidate the export at each search: 304 while unchanged, 200 once a place changed', async () => {
    const url = '/api/places/export?bbox=0.5,49.0,1.6,49.8';
    const first = await t.app.inject({ url });
    expect(first.headers['cache-control']).toBe('no-cache');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    const again = await t.app.inject({ url, headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    expect((await t.app.inject({ url, headers: { 'if-none-match': '"other"' } })).statusCode).toBe(200);
    // The index rebuilt with nothing changed (after 5 minutes): the same ETag.
    t.clock.t += 6 * 60_000;
    expect((await t.app.inject({ url, headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    // A place of the area renamed: the phone gets the new export.
    const place = first.json().places[0];
    await t.services.db.kysely
      .updateTable('places')
      .set({ name: `${place.name} (renamed)` })
      .where('id', '=', place.id)
      .execute();
    await placesChanged(t.services);
    const changed = await t.app.inject({ url, headers: { 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.json().places.find((p: { id: string }) => p.id === place.id).name).toBe(
      `${place.name} (renamed)`,
    );
  });
});
