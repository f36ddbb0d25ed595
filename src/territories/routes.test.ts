import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import { bundledTerritoryPath } from './bundled.ts';
import { territoryAt } from './registry.ts';

const communes = JSON.parse(readFileSync(bundledTerritoryPath('communes-selection.geojson'), 'utf8'));

describe.each(backends())('territories API on %s', (backend) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(backend);
  });
  afterEach(async () => {
    await t.close();
  });

  it('lets an admin import a FeatureCollection, then the lookup and the public list see it', async () => {
    const admin = await userWith(t, { roles: ['admin'] });
    expect(await territoryAt(t.services, 49.44039, 1.09023)).toBeNull();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/territories',
      headers: admin.auth,
      payload: communes,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ created: 12, updated: 0 });
    expect(await territoryAt(t.services, 49.44039, 1.09023)).toBe('76540');
    const list = await t.app.inject({ url: '/api/territories' });
    expect(list.json().territories).toHaveLength(12);
    const rouen = await t.app.inject({ url: '/api/territories/76540' });
    expect(rouen.json()).toMatchObject({
      type: 'Feature',
      properties: { code: '76540', name: 'Rouen', kind: 'commune' },
    });
    expect(rouen.json().geometry.type).toBe('Polygon');
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/admin/territories',
      headers: admin.auth,
      payload: communes,
    });
    expect(again.json()).toMatchObject({ created: 0, updated: 12 });
  });

  it('refuses territory import to a citizen (403) and to an anonymous caller (401)', async () => {
    const citizen = await userWith(t);
    const asCitizen = await t.app.inject({
      method: 'POST',
      url: '/api/admin/territories',
      headers: citizen.auth,
      payload: communes,
    });
    expect(asCitizen.statusCode).toBe(403);
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/api/admin/territories',
      payload: communes,
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('rejects invalid GeoJSON with 400 and a message naming the feature, saving nothing', async () => {
    const admin = await userWith(t, { roles: ['admin'] });
    const bad = {
      type: 'FeatureCollection',
      features: [
        communes.features[0],
        {
          type: 'Feature',
          properties: { code: '99999', nom: 'Nulle part' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [0, 0],
                [1, 1],
              ],
            ],
          },
        },
      ],
    };
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/territories',
      headers: admin.auth,
      payload: bad,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('HAVRE_ERR_INVALID_GEOJSON');
    expect(res.json().detail).toBe(
      'feature 2: territory 99999: coordinates[0]: a ring needs at least 4 positions, got 2',
    );
    expect((await t.app.inject({ url: '/api/territories' })).json().territories).toHaveLength(0);
  });

  it('grants and revokes staff access to a territory, visible in /api/me', async () => {
    const admin = await userWith(t, { roles: ['admin'] });
    await t.app.inject({
      method: 'POST',
      url: '/api/admin/territories',
      headers: admin.auth,
      payload: communes,
    });
    const staff = await userWith(t);
    const grant = await t.app.inject({
      method: 'POST',
      url: '/api/admin/staff',
      headers: admin.auth,
      payload: { email: staff.email, territory: '76540' },
    });
    expect(grant.statusCode).toBe(204);
    const me = (await t.app.inject({ url: '/api/me', headers: staff.auth })).json();
    expect(me.roles).toContain('staff');
    expect(me.territories).toEqual(['76540']);
    const listed = await t.app.inject({ url: '/api/admin/staff?territory=76540', headers: admin.auth });
    expect(listed.json()).toEqual({ staff: [{ email: staff.email }] });
    // Only admins list a territory's staff; its own staff do not, and a missing territory is 404.
    expect(
      (await t.app.inject({ url: '/api/admin/staff?territory=76540', headers: staff.auth })).statusCode,
    ).toBe(403);
    expect(
      (await t.app.inject({ url: '/api/admin/staff?territory=75117', headers: admin.auth })).statusCode,
    ).toBe(404);
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/admin/staff',
      headers: admin.auth,
      payload: { email: staff.email, territory: '75117' },
    });
    expect(unknown.statusCode).toBe(404);
    await t.app.inject({
      method: 'DELETE',
      url: '/api/admin/staff',
      headers: admin.auth,
      payload: { email: staff.email, territory: '76540' },
    });
    expect((await t.app.inject({ url: '/api/me', headers: staff.auth })).json().territories).toEqual([]);
    expect(
      (await t.app.inject({ url: '/api/admin/staff?territory=76540', headers: admin.auth })).json(),
    ).toEqual({ staff: [] });
  });

  it('answers 404 for an unknown territory and 400 for a malformed code', async () => {
    expect((await t.app.inject({ url: '/api/territories/75117' })).statusCode).toBe(404);
    const bad = await t.app.inject({ url: '/api/territories/..%2Fetc' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('HAVRE_ERR_VALIDATION');
  });
});
