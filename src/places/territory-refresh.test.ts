import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import { loadBundledTerritories } from '../territories/bundled.ts';
import { importTerritories } from '../territories/import.ts';
import { upsertParsed } from './import/import.ts';

// The QA case: a café in Lyon 2e applied before Lyon joined Havre.
const CAFE = { lat: 45.762, lon: 4.833 };
const application = {
  name: 'Le Noctambule',
  kind: 'bar',
  address: '5 rue de la République, 69002 Lyon',
  ...CAFE,
  charterAccepted: true,
};

/** Lyon 2e as a rectangle around the Presqu’île (a test fixture, not the real boundary). */
const lyon2 = (box: [number, number, number, number] = [4.815, 45.728, 4.845, 45.768]) => {
  const [w, s, e, n] = box;
  return {
    type: 'Feature',
    properties: { code: '69382', nom: 'Lyon 2e Arrondissement' },
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [w, s],
          [e, s],
          [e, n],
          [w, n],
          [w, s],
        ],
      ],
    },
  };
};

describe.each(backends())('territory of places after territories change on %s', (backend) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(backend);
    await importTerritories(t.services, loadBundledTerritories());
  });
  afterEach(async () => {
    await t.close();
  });

  async function placeRow(id: string) {
    return t.services.db.kysely
      .selectFrom('places')
      .select(['territory_code', 'updated_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  }

  it('gives a venue that applied outside every territory to the territory imported later, then none once it is deleted', async () => {
    const cafe = await userWith(t);
    const admin = await userWith(t, { roles: ['admin'] });
    const applied = await t.app.inject({
      method: 'POST',
      url: '/api/partner/places',
      headers: cafe.auth,
      payload: application,
    });
    expect(applied.json()).toMatchObject({ status: 'applied', territoryCode: null });
    const id: string = applied.json().id;
    // An imported police station nearby, and a venue far away that must not be touched.
    await upsertParsed(
      t.services,
      [
        {
          row: 1,
          sourceId: 'lyon-2',
          name: 'Commissariat de Lyon 2e',
          kind: 'police',
          lat: 45.7555,
          lon: 4.8281,
          address: null,
          phone: null,
          openingHours: null,
          accessibility: null,
          postcode: '69002',
        },
      ],
      'official',
    );
    const rouen = await t.app.inject({
      method: 'POST',
      url: '/api/partner/places',
      headers: cafe.auth,
      payload: {
        ...application,
        name: 'Rouen',
        address: '1 place du Vieux-Marché, 76000 Rouen',
        lat: 49.44039,
        lon: 1.09023,
      },
    });
    expect(rouen.json().territoryCode).toBe('76540');
    const rouenBefore = await placeRow(rouen.json().id);
    t.clock.advance(60_000);

    const imported = await t.app.inject({
      method: 'POST',
      url: '/api/admin/territories',
      headers: admin.auth,
      payload: { type: 'FeatureCollection', features: [lyon2()] },
    });
    expect(imported.json()).toMatchObject({ created: 1, codes: ['69382'], placesMoved: 2 });

    const staff = await userWith(t, { roles: ['staff'], territories: ['69382'] });
    const queue = await t.app.inject({
      url: '/api/territories/69382/places?status=applied',
      headers: staff.auth,
    });
    expect(queue.json().places.map((p: { id: string }) => p.id)).toEqual([id]);
    const mine = await t.app.inject({ url: '/api/partner/places', headers: cafe.auth });
    expect(mine.json().places.find((p: { id: string }) => p.id === id).territoryCode).toBe('69382');
    const police = await t.services.db.kysely
      .selectFrom('places')
      .select('territory_code')
      .where('source_id', '=', 'lyon-2')
      .executeTakeFirstOrThrow();
    expect(police.territory_code).toBe('69382');
    expect(await placeRow(rouen.json().id)).toEqual(rouenBefore);
    const approved = await t.app.inject({
      method: 'POST',
      url: `/api/places/${id}/review`,
      headers: staff.auth,
      payload: { decision: 'approve' },
    });
    expect(approved.statusCode).toBe(200);

    const deleted = await t.app.inject({
      method: 'DELETE',
      url: '/api/admin/territories/69382',
      headers: admin.auth,
    });
    expect(deleted.statusCode).toBe(204);
    const left = await t.services.db.kysely
      .selectFrom('places')
      .select('territory_code')
      .where('territory_code', '=', '69382')
      .execute();
    expect(left).toEqual([]);
    expect((await placeRow(id)).territory_code).toBeNull();
    expect(await placeRow(rouen.json().id)).toEqual(rouenBefore);
  });

  it('moves places out of a territory whose new boundary no longer holds them', async () => {
    const cafe = await userWith(t);
    await importTerritories(t.services, [
      { code: '69382', name: 'Lyon 2e', kind: 'arrondissement', boundary: lyon2().geometry as never },
    ]);
    const applied = await t.app.inject({
      method: 'POST',
      url: '/api/partner/places',
      headers: cafe.auth,
      payload: application,
    });
    expect(applied.json().territoryCode).toBe('69382');
    // Redrawn south of the café.
    const smaller = lyon2([4.815, 45.728, 4.845, 45.75]).geometry as never;
    const result = await importTerritories(t.services, [
      { code: '69382', name: 'Lyon 2e', kind: 'arrondissement', boundary: smaller },
    ]);
    expect(result).toMatchObject({ updated: 1, placesMoved: 1 });
    expect((await placeRow(applied.json().id)).territory_code).toBeNull();
  });

  it('gives the places of a deleted arrondissement to the commune that still contains them', async () => {
    const cafe = await userWith(t);
    const admin = await userWith(t, { roles: ['admin'] });
    await importTerritories(t.services, [
      { code: '69382', name: 'Lyon 2e', kind: 'arrondissement', boundary: lyon2().geometry as never },
      {
        code: '69123',
        name: 'Lyon',
        kind: 'commune',
        boundary: lyon2([4.77, 45.7, 4.9, 45.81]).geometry as never,
      },
    ]);
    const applied = await t.app.inject({
      method: 'POST',
      url: '/api/partner/places',
      headers: cafe.auth,
      payload: application,
    });
    expect(applied.json().territoryCode).toBe('69382');
    await t.app.inject({ method: 'DELETE', url: '/api/admin/territories/69382', headers: admin.auth });
    expect((await placeRow(applied.json().id)).territory_code).toBe('69123');
  });
});
