/**
 * Authorization matrix: every route of the OpenAPI document × every principal (see world.ts),
 * with an explicit table of who may do what. A route missing from the table (a new route) fails,
 * and so does a table row whose route no longer exists. Everyone not listed in `allow` must get
 * 401 (no signed-in user) or 403/404 (signed in, not allowed / someone else's resource) — never
 * a 2xx, and never a 400 from a request that would have been valid for an allowed principal.
 * Each route gets a fresh world, so allowed writes of one route cannot hide a leak of another.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, TEST_PASSWORD, type TestApp } from '../helpers/app.ts';
import { backends } from '../helpers/backends.ts';
import { SoftAuthenticator } from '../helpers/passkey.ts';
import { addTerritories, PLACES, POLYGON, reportBody } from '../helpers/reports.ts';
import { addDevice, inMinutes, seal, wrapFor } from '../helpers/sharing.ts';
import { buildWorld, NO_USER, PRINCIPALS, type Principal, SIGNED_IN, type World } from './world.ts';

type Status = number | number[];
interface Row {
  /** Who succeeds, and with which status. Everyone else is denied. */
  allow: Partial<Record<Principal, Status>>;
  url?: (w: World) => string;
  body?: (w: World, t: TestApp) => unknown | Promise<unknown>;
  /** Query string appended to the path. */
  query?: string;
  /** The request changes what the next allowed principal would see: one fresh world each. */
  destructive?: boolean;
  /** Status for principals without a user, when not 401 (e.g. public routes with optional auth). */
  noUser?: Status;
  /** Status for signed-in principals not allowed, when not 403/404 (capability-token routes). */
  signedInDenied?: Status;
}

const all = (status: Status): Partial<Record<Principal, Status>> =>
  Object.fromEntries(PRINCIPALS.map((p) => [p, status]));
const signedIn = (status: Status): Partial<Record<Principal, Status>> =>
  Object.fromEntries(SIGNED_IN.map((p) => [p, status]));
const territoryStaff = (status: Status) => ({ staffParis: status, admin: status });
const share = (w: World) => w.share.id;
const BBOX = 'bbox=2.30,48.87,2.34,48.90';

const MATRIX: Record<string, Row> = {
  'GET /api/health': { allow: all(200) },
  'GET /api/ready': { allow: all(200) },
  'GET /api/config': { allow: all(200) },
  'POST /api/auth/signup': {
    allow: all(202),
    body: () => ({
      email: `new-${Math.random().toString(36).slice(2)}@test.example`,
      password: TEST_PASSWORD,
    }),
  },
  'POST /api/auth/login': {
    allow: all(200),
    body: (w) => ({ email: w.users.stranger?.email, password: TEST_PASSWORD }),
  },
  'POST /api/auth/logout': { allow: all(204), destructive: true },
  'GET /api/me': { allow: signedIn(200) },
  'PATCH /api/me': { allow: signedIn(200), body: () => ({ locale: 'en' }) },
  'DELETE /api/me': { allow: signedIn(204), body: () => ({ password: TEST_PASSWORD }), destructive: true },
  // Capability-token routes: whoever holds a valid token may use it; a forged one is refused to all.
  'POST /api/auth/signup/complete': {
    allow: {},
    body: () => ({ token: 'x'.repeat(43) }),
    noUser: 400,
    signedInDenied: 400,
  },
  'POST /api/auth/verify-email': {
    allow: {},
    body: () => ({ token: 'x'.repeat(43) }),
    noUser: 400,
    signedInDenied: 400,
  },
  'POST /api/auth/verify-email/resend': { allow: signedIn(202) },
  'POST /api/auth/password-reset': { allow: all(202), body: (w) => ({ email: w.users.owner?.email }) },
  'POST /api/auth/password-reset/confirm': {
    allow: {},
    body: () => ({ token: 'x'.repeat(43), password: 'another-long-password' }),
    noUser: 400,
    signedInDenied: 400,
  },
  'GET /api/me/export': { allow: signedIn(200) },
  'GET /api/territories': { allow: all(200) },
  'GET /api/territories/{code}': { allow: all(200), url: () => '/api/territories/75117' },
  'POST /api/admin/territories': {
    allow: { admin: 201 },
    body: () => ({
      type: 'Feature',
      properties: { code: '99999', name: 'Test' },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [0.01, 0],
            [0.01, 0.01],
            [0, 0],
          ],
        ],
      },
    }),
  },
  'DELETE /api/admin/territories/{code}': {
    allow: { admin: 204 },
    url: () => '/api/admin/territories/97411',
  },
  'GET /api/admin/staff': { allow: { admin: 200 }, query: 'territory=75117' },
  'POST /api/admin/staff': {
    allow: { admin: [200, 201, 204] },
    body: (w) => ({ email: w.users.staffRouen?.email, territory: '75117' }),
  },
  'DELETE /api/admin/staff': {
    allow: { admin: [200, 204] },
    body: (w) => ({ email: w.users.staffParis?.email, territory: '75117' }),
  },
  'GET /api/places/nearest': {
    allow: all(200),
    query: `lat=${PLACES.batignolles.lat}&lon=${PLACES.batignolles.lon}`,
  },
  'GET /api/places': { allow: all(200), query: BBOX },
  'GET /api/places/export': { allow: all(200), query: BBOX },
  'GET /api/places/{id}': { allow: all(200), url: (w) => `/api/places/${w.placeId}` },
  'POST /api/partner/places': {
    allow: signedIn(201),
    body: () => ({
      name: 'Chez Nous',
      kind: 'restaurant',
      address: '3 rue Lemercier, 75017 Paris',
      lat: 48.8852,
      lon: 2.3221,
      charterAccepted: true,
    }),
  },
  'GET /api/partner/places': { allow: signedIn(200) },
  'PATCH /api/partner/places/{id}': {
    allow: { partner: 200 },
    url: (w) => `/api/partner/places/${w.placeId}`,
    body: () => ({ phone: '01 23 45 67 89' }),
  },
  'POST /api/partner/places/{id}/trainings': {
    allow: { partner: [200, 201] },
    url: (w) => `/api/partner/places/${w.placeId}/trainings`,
    body: () => ({ date: '2026-11-01', staffTrained: 3 }),
  },
  'POST /api/partner/places/{id}/withdraw': {
    allow: { partner: [200, 204] },
    url: (w) => `/api/partner/places/${w.placeId}/withdraw`,
  },
  'GET /api/territories/{code}/places': {
    allow: territoryStaff(200),
    url: () => '/api/territories/75117/places',
  },
  'POST /api/places/{id}/review': {
    allow: territoryStaff(200),
    url: (w) => `/api/places/${w.placeId}/review`,
    body: () => ({ decision: 'suspend', reason: 'contrôle' }),
    destructive: true,
  },
  'GET /api/territories/{code}/coverage-gaps': {
    allow: territoryStaff(200),
    url: () => '/api/territories/75117/coverage-gaps',
  },
  'POST /api/reports': { allow: signedIn(201), body: (_w, t) => reportBody(t) },
  'GET /api/reports/nearby': {
    allow: signedIn(200),
    query: `lat=${PLACES.batignolles.lat}&lon=${PLACES.batignolles.lon}`,
  },
  'GET /api/admin/reports/held': { allow: { admin: 200 } },
  'POST /api/admin/reports/{id}/accept': {
    allow: { admin: [200, 204] },
    url: (w) => `/api/admin/reports/${w.heldReportId}/accept`,
  },
  'POST /api/admin/reports/{id}/reject': {
    allow: { admin: [200, 204] },
    url: (w) => `/api/admin/reports/${w.heldReportId}/reject`,
  },
  'GET /api/territories/{code}/heatmap': {
    allow: territoryStaff(200),
    url: () => '/api/territories/75117/heatmap',
  },
  'GET /api/territories/{code}/stats': {
    allow: territoryStaff(200),
    url: () => '/api/territories/75117/stats',
  },
  'GET /api/territories/{code}/export.csv': {
    allow: territoryStaff(200),
    url: () => '/api/territories/75117/export.csv',
  },
  'GET /api/territories/{code}/export.geojson': {
    allow: territoryStaff(200),
    url: () => '/api/territories/75117/export.geojson',
  },
  'GET /api/territories/{code}/descriptions': {
    allow: territoryStaff(200),
    url: () => '/api/territories/75117/descriptions',
  },
  // SSE: an allowed request streams forever, so only denials are checked here (allowed: dashboard tests).
  'GET /api/territories/{code}/live': {
    allow: territoryStaff(200),
    url: () => '/api/territories/75117/live',
    streams: true,
  } as Row,
  'GET /api/actions': { allow: all(200), query: BBOX },
  'GET /api/territories/{code}/actions': { allow: all(200), url: () => '/api/territories/75117/actions' },
  'POST /api/territories/{code}/actions': {
    allow: territoryStaff(201),
    url: () => '/api/territories/75117/actions',
    body: () => ({ title: 'Médiation', text: 'Médiateurs de nuit.', date: '2026-11-21', area: POLYGON }),
  },
  'PATCH /api/territories/{code}/actions/{id}': {
    allow: territoryStaff(200),
    url: (w) => `/api/territories/75117/actions/${w.actionId}`,
    body: () => ({ title: 'Éclairage renforcé' }),
  },
  'DELETE /api/territories/{code}/actions/{id}': {
    allow: territoryStaff(204),
    url: (w) => `/api/territories/75117/actions/${w.actionId}`,
    destructive: true,
  },
  'GET /api/push/key': { allow: all(200) },
  'POST /api/push/subscriptions': {
    allow: signedIn(201),
    body: () => ({
      endpoint: `https://push.example.net/${Math.random().toString(36).slice(2)}`,
      keys: {
        p256dh: Buffer.alloc(65, 4).toString('base64url'),
        auth: Buffer.alloc(16, 1).toString('base64url'),
      },
    }),
  },
  'DELETE /api/push/subscriptions/{id}': {
    allow: { owner: 204 },
    url: (w) => `/api/push/subscriptions/${w.pushSubscriptionId}`,
  },
  'GET /api/me/phone': { allow: signedIn(200) },
  'PUT /api/me/phone': { allow: signedIn(200), body: () => ({ phone: '06 12 34 56 78' }) },
  'DELETE /api/me/phone': { allow: signedIn(204) },
  'POST /api/contacts/invites': { allow: signedIn(201) },
  'POST /api/contacts/invites/preview': {
    allow: {},
    body: () => ({ token: 'x'.repeat(43) }),
    signedInDenied: 400,
  },
  'POST /api/contacts/invites/accept': {
    allow: {},
    body: () => ({ token: 'x'.repeat(43) }),
    signedInDenied: 400,
  },
  'GET /api/contacts': { allow: signedIn(200) },
  'DELETE /api/contacts/{id}': {
    allow: { owner: 204, contact: 204 },
    url: (w) => `/api/contacts/${w.relationshipId}`,
    destructive: true,
  },
  'GET /api/contacts/devices': { allow: signedIn(200) },
  'GET /api/contacts/{id}/devices': {
    allow: { owner: 200 },
    url: (w) => `/api/contacts/${w.relationshipId}/devices`,
  },
  'POST /api/devices': {
    allow: signedIn(201),
    body: async () => {
      const { exportPublicKey, generateDeviceKeyPair } = await import('../../src/shared/envelope.ts');
      return {
        publicKey: await exportPublicKey((await generateDeviceKeyPair()).publicKey),
        label: 'Tablette',
      };
    },
  },
  'GET /api/devices': { allow: signedIn(200) },
  'DELETE /api/devices/{id}': { allow: { owner: 204 }, url: (w) => `/api/devices/${w.ownerDeviceId}` },
  'POST /api/shares': {
    allow: signedIn(201),
    body: () => ({ mode: 'trip', visibility: 'live', recipients: [] }),
  },
  'GET /api/shares': { allow: signedIn(200) },
  // The relay's WebSocket: a plain GET gets 426 whoever asks; who may receive what is decided on
  // the socket, by its authentication and each share's access (src/sharing/relay.test.ts).
  'GET /api/shares/ws': { allow: all(426) },
  // Share routes answer 404 to anyone without access, signed in or not: existence is not revealed.
  'GET /api/shares/{id}': {
    allow: { owner: 200, contact: 200, guest: 200 },
    url: (w) => `/api/shares/${share(w)}`,
    noUser: 404,
  },
  'POST /api/shares/{id}/keys': {
    allow: { owner: [200, 201, 204] },
    url: (w) => `/api/shares/${share(w)}/keys`,
    body: async (w, t) => {
      const device = await addDevice(t, w.users.contact as never, 'Deuxième');
      return { recipients: await wrapFor(w.share.key, [device]) };
    },
  },
  'POST /api/shares/{id}/positions': {
    allow: { owner: [200, 201, 202] },
    url: (w) => `/api/shares/${share(w)}/positions`,
    body: async (w) => ({ positions: [{ seq: 1, c: await seal(w.share, 1) }] }),
  },
  'GET /api/shares/{id}/positions': {
    allow: { owner: 200, contact: 200, guest: 200 },
    url: (w) => `/api/shares/${share(w)}/positions`,
    noUser: 404,
  },
  'POST /api/shares/{id}/arrived': {
    allow: { owner: [200, 204] },
    url: (w) => `/api/shares/${share(w)}/arrived`,
  },
  'POST /api/shares/{id}/ok': {
    allow: { owner: [200, 204] },
    url: (w) => `/api/shares/${share(w)}/ok`,
    body: () => ({}),
  },
  'POST /api/shares/{id}/checkin': {
    allow: { owner: [200, 204] },
    url: (w) => `/api/shares/${share(w)}/checkin`,
    body: (_w, t) => ({ due: inMinutes(t, 60) }),
  },
  'POST /api/shares/{id}/guest-links': {
    allow: { owner: 201 },
    url: (w) => `/api/shares/${share(w)}/guest-links`,
    body: (_w, t) => ({ expiresAt: inMinutes(t, 60) }),
  },
  'DELETE /api/shares/{id}/guest-links/{linkId}': {
    allow: { owner: 204 },
    url: (w) => `/api/shares/${share(w)}/guest-links/${w.guestLinkId}`,
  },
  // 200 for someone whose SOS already runs (the owner's, in this world: one SOS per person).
  'POST /api/sos': { allow: signedIn([200, 201]), body: () => ({}) },
  'POST /api/sos/{id}/cancel': {
    allow: { owner: [200, 204] },
    url: (w) => `/api/sos/${w.sosId}/cancel`,
    body: () => ({ password: TEST_PASSWORD }),
  },
  'PUT /api/sos/pin': { allow: signedIn([200, 204]), body: () => ({ pin: '4821', password: TEST_PASSWORD }) },
  'GET /api/sos/passkeys': { allow: signedIn(200) },
  'POST /api/sos/passkeys/options': { allow: signedIn(200), body: () => ({}) },
  // The body answers a challenge issued to the owner: for anyone else it is not valid (400).
  'POST /api/sos/passkeys': {
    allow: { owner: 201 },
    body: async (w, t) => {
      const options = await t.app.inject({
        method: 'POST',
        url: '/api/sos/passkeys/options',
        headers: w.users.owner?.auth,
        payload: {},
      });
      const phone = new SoftAuthenticator(t.services.config.publicUrl);
      return { credential: phone.register(options.json()), label: 'phone', password: TEST_PASSWORD };
    },
    signedInDenied: 400,
  },
  'DELETE /api/sos/passkeys/{id}': {
    allow: { owner: 204 },
    url: (w) => `/api/sos/passkeys/${w.passkey.id}`,
  },
  'POST /api/sos/{id}/cancel/options': {
    allow: { owner: 200 },
    url: (w) => `/api/sos/${w.sosId}/cancel/options`,
    body: () => ({}),
  },
};

const DENIED_SIGNED_IN = [403, 404];

describe.each(backends())('authorization matrix on %s', (backend) => {
  let t: TestApp;
  let routes: string[];
  beforeAll(async () => {
    t = await makeTestApp(backend);
    await addTerritories(t);
    const doc = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  it('has a row for every route of the OpenAPI document, and no row for a route that is gone', () => {
    expect(routes.length).toBeGreaterThan(50);
    expect(routes.filter((r) => !MATRIX[r])).toEqual([]);
    expect(Object.keys(MATRIX).filter((r) => !routes.includes(r))).toEqual([]);
  });

  async function call(w: World, key: string, who: Principal) {
    const row = MATRIX[key] as Row;
    const [method, path] = key.split(' ') as [string, string];
    let url = row.url ? row.url(w) : path;
    if (row.query) url += `?${row.query}`;
    const body = row.body ? await row.body(w, t) : undefined;
    return t.app.inject({
      method: method as 'GET',
      url,
      headers: w.headers[who],
      ...(body !== undefined ? { payload: body as object } : {}),
    });
  }

  const statuses = (s: Status) => (Array.isArray(s) ? s : [s]);

  it.each(Object.keys(MATRIX))('%s: only the allowed principals succeed', async (key) => {
    const row = MATRIX[key] as Row;
    let w = await buildWorld(t);
    const problems: string[] = [];
    // Denials first: a denied request must change nothing, so the allowed ones still work after.
    for (const who of PRINCIPALS) {
      if (row.allow[who] !== undefined) continue;
      const res = await call(w, key, who);
      // Staff of Rouen asking for Paris 17e: refused outright (403), whatever the route.
      const otherTerritory = who === 'staffRouen' && row.allow.staffParis !== undefined;
      const expected = otherTerritory
        ? [403]
        : NO_USER.includes(who)
          ? statuses(row.noUser ?? 401)
          : row.signedInDenied
            ? statuses(row.signedInDenied)
            : DENIED_SIGNED_IN;
      if (!expected.includes(res.statusCode))
        problems.push(
          `${who}: got ${res.statusCode}, expected ${expected.join('|')} ${res.body.slice(0, 160)}`,
        );
      else if (
        res.statusCode >= 400 &&
        !String(res.headers['content-type']).startsWith('application/problem+json')
      )
        problems.push(`${who}: ${res.statusCode} without problem+json`);
    }
    if ((row as { streams?: boolean }).streams) {
      expect(problems).toEqual([]);
      return;
    }
    for (const [who, status] of Object.entries(row.allow) as [Principal, Status][]) {
      if (row.destructive) w = await buildWorld(t);
      const res = await call(w, key, who);
      if (!statuses(status).includes(res.statusCode))
        problems.push(
          `${who} (allowed): got ${res.statusCode}, expected ${status} ${res.body.slice(0, 160)}`,
        );
    }
    expect(problems).toEqual([]);
  });
});
