import { cellToParent, gridDisk, latLngToCell } from 'h3-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, TEST_PASSWORD, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import { addTerritories, PLACES } from '../../test/helpers/reports.ts';

const square = (lon: number, lat: number, d = 0.001) => ({
  type: 'Polygon',
  coordinates: [
    [
      [lon, lat],
      [lon + d, lat],
      [lon + d, lat + d],
      [lon, lat + d],
      [lon, lat],
    ],
  ],
});
const ACTION = {
  title: 'Éclairage rue des Dames',
  text: 'Douze nouveaux lampadaires entre la place de Clichy et la rue Lemercier.',
  date: '2026-11-20',
  area: square(2.3195, 48.8835),
};

describe.each(backends())('city actions on %s', (backend) => {
  let t: TestApp;
  let staff: Awaited<ReturnType<typeof userWith>>;
  beforeEach(async () => {
    t = await makeTestApp(backend);
    await addTerritories(t);
    staff = await userWith(t, { roles: ['staff'], territories: ['75117'] });
  });
  afterEach(async () => {
    await t.close();
  });

  const publish = (payload: unknown, code = '75117', headers = staff.auth) =>
    t.app.inject({
      method: 'POST',
      url: `/api/territories/${code}/actions`,
      headers,
      payload: payload as object,
    });

  it('publishes an action on a polygon and shows it on the public map without its author', async () => {
    const res = await publish(ACTION);
    expect(res.statusCode).toBe(201);
    const feature = res.json();
    expect(feature).toMatchObject({
      type: 'Feature',
      geometry: ACTION.area,
      properties: { territoryCode: '75117', title: ACTION.title, date: '2026-11-20', areaKind: 'polygon' },
    });
    const stored = await t.services.db.kysely
      .selectFrom('city_actions')
      .select('author_id')
      .executeTakeFirstOrThrow();
    expect(stored.author_id).toBe(staff.id);
    const map = await t.app.inject({ url: '/api/actions?bbox=2.30,48.87,2.34,48.90' });
    expect(map.statusCode).toBe(200);
    expect(map.json().features.map((f: { id: string }) => f.id)).toEqual([feature.id]);
    expect(map.body).not.toContain(staff.id);
    const rouen = await t.app.inject({ url: '/api/actions?bbox=1.0,49.4,1.2,49.5' });
    expect(rouen.json().features).toEqual([]);
  });

  it('publishes an action on H3 cells, drawn as a MultiPolygon', async () => {
    const cells = gridDisk(latLngToCell(PLACES.batignolles.lat, PLACES.batignolles.lon, 9), 1);
    const res = await publish({ ...ACTION, area: cells });
    expect(res.statusCode).toBe(201);
    expect(res.json().geometry.type).toBe('MultiPolygon');
    expect(res.json().properties).toMatchObject({ areaKind: 'cells', cells: [...cells] });
  });

  it('refuses an area outside the territory with 422 and a malformed one with 400', async () => {
    const outside = await publish({
      ...ACTION,
      area: square(PLACES.gros_horloge.lon, PLACES.gros_horloge.lat),
    });
    expect(outside.statusCode).toBe(422);
    expect(outside.json().code).toBe('HAVRE_ERR_ACTION_AREA_OUTSIDE');
    const rouenCell = cellToParent(latLngToCell(PLACES.gros_horloge.lat, PLACES.gros_horloge.lon, 10), 9);
    expect((await publish({ ...ACTION, area: [rouenCell] })).statusCode).toBe(422);
    const open = {
      type: 'Polygon',
      coordinates: [
        [
          [2.32, 48.884],
          [2.321, 48.884],
          [2.321, 48.885],
          [2.32, 48.8851],
        ],
      ],
    };
    const malformed = await publish({ ...ACTION, area: open });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('HAVRE_ERR_INVALID_GEOJSON');
    expect((await publish({ ...ACTION, area: ['not-a-cell'] })).statusCode).toBe(400);
    expect((await publish({ ...ACTION, date: 'demain' })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/actions?bbox=2.4,48.9,2.3,48.8' })).statusCode).toBe(400);
  });

  it('edits and deletes an action; another territory path cannot reach it', async () => {
    const id = (await publish(ACTION)).json().id;
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/territories/75117/actions/${id}`,
      headers: staff.auth,
      payload: { title: 'Éclairage renforcé', area: square(2.3205, 48.8838) },
    });
    expect(patch.statusCode).toBe(200);
    expect(patch.json().properties.title).toBe('Éclairage renforcé');
    expect(patch.json().geometry).toEqual(square(2.3205, 48.8838));
    const admin = await userWith(t, { roles: ['admin'] });
    const wrongPath = await t.app.inject({
      method: 'DELETE',
      url: `/api/territories/76540/actions/${id}`,
      headers: admin.auth,
    });
    expect(wrongPath.statusCode).toBe(404);
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/territories/75117/actions/${id}`,
      headers: staff.auth,
    });
    expect(del.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/territories/75117/actions' })).json().features).toEqual([]);
  });

  it('exports the actions a staff member authored, and keeps them when the account is erased', async () => {
    await publish(ACTION);
    const exported = (await t.app.inject({ url: '/api/me/export', headers: staff.auth })).json();
    expect(exported.cityActions).toEqual([
      expect.objectContaining({ territoryCode: '75117', title: ACTION.title }),
    ]);
    const erased = await t.app.inject({
      method: 'DELETE',
      url: '/api/me',
      headers: staff.auth,
      payload: { password: TEST_PASSWORD },
    });
    expect(erased.statusCode).toBe(204);
    const row = await t.services.db.kysely.selectFrom('city_actions').selectAll().executeTakeFirstOrThrow();
    expect(row.author_id).toBeNull();
    expect(row.title).toBe(ACTION.title);
  });
});
