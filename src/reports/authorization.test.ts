import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import { addTerritories, PLACES, reportBody } from '../../test/helpers/reports.ts';

type Role = 'anonymous' | 'citizen' | 'otherStaff' | 'staff' | 'admin';
const ROLES: Role[] = ['anonymous', 'citizen', 'otherStaff', 'staff', 'admin'];

// A small square around place de Clichy, inside Paris 17e.
const AREA = {
  type: 'Polygon',
  coordinates: [
    [
      [2.3195, 48.8835],
      [2.3215, 48.8835],
      [2.3215, 48.8848],
      [2.3195, 48.8848],
      [2.3195, 48.8835],
    ],
  ],
};
const ACTION = {
  title: 'Éclairage rue des Dames',
  text: 'Nouveaux lampadaires.',
  date: '2026-11-20',
  area: AREA,
};

describe.each(backends())('reports authorization on %s', (backend) => {
  let t: TestApp;
  const headers = {} as Record<Role, Record<string, string>>;
  beforeAll(async () => {
    t = await makeTestApp(backend);
    await addTerritories(t);
    headers.anonymous = {};
    headers.citizen = (await userWith(t)).auth;
    headers.otherStaff = (await userWith(t, { roles: ['staff'], territories: ['76540'] })).auth;
    headers.staff = (await userWith(t, { roles: ['staff'], territories: ['75117'] })).auth;
    headers.admin = (await userWith(t, { roles: ['admin'] })).auth;
  });
  afterAll(async () => {
    await t.close();
  });

  const TERRITORY_VIEWS = ['heatmap', 'stats', 'export.csv', 'export.geojson', 'descriptions'];
  const viewExpectations: Record<Role, number> = {
    anonymous: 401,
    citizen: 403,
    otherStaff: 403,
    staff: 200,
    admin: 200,
  };

  for (const view of TERRITORY_VIEWS) {
    for (const role of ROLES) {
      it(`GET /api/territories/75117/${view} as ${role} → ${viewExpectations[role]}`, async () => {
        const res = await t.app.inject({ url: `/api/territories/75117/${view}`, headers: headers[role] });
        expect(res.statusCode).toBe(viewExpectations[role]);
        if (res.statusCode !== 200) expect(res.headers['content-type']).toContain('application/problem+json');
      });
    }
    it(`GET /api/territories/99999/${view} of an unknown territory → 404`, async () => {
      const res = await t.app.inject({ url: `/api/territories/99999/${view}`, headers: headers.admin });
      expect(res.statusCode).toBe(404);
    });
  }

  // The 200 case of the live feed is an open stream: see live.test.ts.
  for (const role of ['anonymous', 'citizen', 'otherStaff'] as const) {
    it(`GET /api/territories/75117/live as ${role} → ${viewExpectations[role]}`, async () => {
      const res = await t.app.inject({ url: '/api/territories/75117/live', headers: headers[role] });
      expect(res.statusCode).toBe(viewExpectations[role]);
    });
  }
  it('GET /api/territories/99999/live of an unknown territory → 404', async () => {
    const res = await t.app.inject({ url: '/api/territories/99999/live', headers: headers.admin });
    expect(res.statusCode).toBe(404);
  });

  const actionWrite: Record<Role, number> = {
    anonymous: 401,
    citizen: 403,
    otherStaff: 403,
    staff: 201,
    admin: 201,
  };
  for (const role of ROLES) {
    it(`POST, PATCH, DELETE /api/territories/75117/actions as ${role}`, async () => {
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/territories/75117/actions',
        headers: headers[role],
        payload: ACTION,
      });
      expect(created.statusCode).toBe(actionWrite[role]);
      // An action published by the staff, for the edit and delete attempts.
      const own = await t.app.inject({
        method: 'POST',
        url: '/api/territories/75117/actions',
        headers: headers.staff,
        payload: ACTION,
      });
      const url = `/api/territories/75117/actions/${own.json().id}`;
      const patch = await t.app.inject({
        method: 'PATCH',
        url,
        headers: headers[role],
        payload: { title: 'x' },
      });
      const del = await t.app.inject({ method: 'DELETE', url, headers: headers[role] });
      const allowed = actionWrite[role] === 201;
      expect(patch.statusCode).toBe(allowed ? 200 : actionWrite[role]);
      expect(del.statusCode).toBe(allowed ? 204 : actionWrite[role]);
    });
  }

  it('GET /api/actions and /api/territories/75117/actions are public → 200', async () => {
    expect((await t.app.inject({ url: '/api/actions?bbox=2.2,48.8,2.4,48.95' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/territories/75117/actions' })).statusCode).toBe(200);
  });

  const moderation: Record<Role, number> = {
    anonymous: 401,
    citizen: 403,
    otherStaff: 403,
    staff: 403,
    admin: 200,
  };
  for (const role of ROLES) {
    it(`moderation routes as ${role} → ${moderation[role]}`, async () => {
      const list = await t.app.inject({ url: '/api/admin/reports/held', headers: headers[role] });
      expect(list.statusCode).toBe(moderation[role]);
      const id = '00000000-0000-4000-8000-000000000000';
      for (const verb of ['accept', 'reject']) {
        const res = await t.app.inject({
          method: 'POST',
          url: `/api/admin/reports/${id}/${verb}`,
          headers: headers[role],
        });
        expect(res.statusCode).toBe(moderation[role] === 200 ? 404 : moderation[role]);
      }
    });
  }

  const citizenRoutes: Record<Role, [number, number]> = {
    anonymous: [401, 401],
    citizen: [201, 200],
    otherStaff: [201, 200],
    staff: [201, 200],
    admin: [201, 200],
  };
  for (const role of ROLES) {
    it(`POST /api/reports and GET /api/reports/nearby as ${role} → ${citizenRoutes[role].join(', ')}`, async () => {
      const post = await t.app.inject({
        method: 'POST',
        url: '/api/reports',
        headers: headers[role],
        payload: reportBody(t),
      });
      expect(post.statusCode).toBe(citizenRoutes[role][0]);
      const near = await t.app.inject({
        url: `/api/reports/nearby?lat=${PLACES.batignolles.lat}&lon=${PLACES.batignolles.lon}`,
        headers: headers[role],
      });
      expect(near.statusCode).toBe(citizenRoutes[role][1]);
    });
  }
});
