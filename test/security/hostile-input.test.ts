/**
 * Hostile input: every route of GET /api/openapi.json driven with generated invalid requests
 * (fast-check) — wrong types, missing and extra fields, huge strings, deep nesting, NaN and
 * infinite coordinates, invalid GeoJSON, Unicode edge cases, path traversal in path params.
 * Requests are made as an admin (fresh session each time, so that logout or account deletion
 * cannot stop the run) to reach as deep into the handlers as possible. Asserted: never a 5xx,
 * every 4xx is problem+json with a HAVRE_ERR_ code, no unhandled rejection, the heap settles.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, createUser, grantRole, grantStaff } from '../../src/accounts/store.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { backends } from '../helpers/backends.ts';
import { addTerritories } from '../helpers/reports.ts';

/**
 * A full garbage collection, so that the heap measured is what the run kept, not garbage not
 * yet collected (workers run without --expose-gc: `globalThis.gc` was undefined and the bound
 * was checked against whatever garbage the collector had left, 155 MB in one CI run).
 */
function fullGc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

interface Operation {
  method: string;
  path: string;
  query: string[];
  body: { properties: Record<string, unknown>; required: string[] } | null;
}

const NASTY_STRINGS = [
  '',
  ' ',
  '..%2F..%2Fetc%2Fpasswd',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%00',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  '\u202eevil\u202c',
  '\u200b\u200d\ufeff',
  'مرحبا',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-1e309',
  '0x1F',
  '1_000',
  '-0',
  '99999999999999999999999',
  '[]',
  '{}',
  'null',
  'true',
  "' OR 1=1 --",
  '"; DROP TABLE users; --',
  '<script>alert(1)</script>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, on purpose
  '${7*7}{{7*7}}',
  'x'.repeat(70_000),
  '🏳️‍🌈'.repeat(2_000),
];

const nastyString = fc.oneof(fc.constantFrom(...NASTY_STRINGS), fc.string({ unit: 'binary', maxLength: 40 }));
const nastyNumber = fc.oneof(
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    1e308,
    -1e308,
    2 ** 53 + 1,
  ),
  fc.double(),
  fc.integer(),
);
const nastyGeoJson = fc.constantFrom(
  { type: 'Polygon', coordinates: [[[0, 0]]] },
  {
    type: 'Polygon',
    coordinates: [
      [
        [Number.NaN, 1],
        [2, 3],
        [4, 5],
        [Number.NaN, 1],
      ],
    ],
  },
  {
    type: 'Polygon',
    coordinates: [
      [
        [Number.POSITIVE_INFINITY, 1],
        [2, 3],
        [4, 5],
        [Number.POSITIVE_INFINITY, 1],
      ],
    ],
  },
  { type: 'MultiPolygon', coordinates: [[[['a', 'b']]]] },
  { type: 'Feature', properties: null, geometry: null },
  { type: 'FeatureCollection', features: [{ type: 'Feature' }] },
  { type: 'Point', coordinates: [2.3, 48.8] },
  { type: 'GeometryCollection', geometries: [] },
  {
    type: 'Polygon',
    coordinates: Array.from({ length: 200 }, () => [
      [0, 0],
      [1, 1],
      [0, 1],
      [0, 0],
    ]),
  },
);
const deep = (depth: number) => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
};
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  nastyNumber,
  nastyGeoJson,
  fc.constantFrom(null, true, false, [], {}, deep(2_000)),
  fc.array(nastyString, { maxLength: 3 }),
  fc.dictionary(nastyString, nastyString, { maxKeys: 3 }),
);

function encode(value: unknown): string {
  const s = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80'; // a lone surrogate cannot be encoded as UTF-8: its raw WTF-8 bytes
  }
}

/** One hostile request for an operation: path params, query and body all generated. */
function requestFor(op: Operation) {
  const params = op.path.match(/\{[^}]+\}/g) ?? [];
  const body = op.body
    ? fc.oneof(
        // The declared fields, each present or not, each with a hostile value, plus extras.
        fc
          .record(Object.fromEntries(Object.keys(op.body.properties).map((k) => [k, nastyValue])), {
            requiredKeys: [],
          })
          .chain((record) =>
            fc.dictionary(nastyString, nastyValue, { maxKeys: 2 }).map((extra) => ({ ...extra, ...record })),
          ),
        nastyValue,
      )
    : fc.option(nastyValue, { nil: undefined });
  return fc.record({
    params: fc.tuple(...params.map(() => nastyString), fc.constant(0)),
    query: fc.array(fc.tuple(fc.constantFrom(...op.query, 'extra', 'lat', 'bbox'), nastyValue), {
      maxLength: 4,
    }),
    body,
    raw: fc.constantFrom(
      null,
      '{"lat": NaN, "lon": Infinity}',
      '{"lat": 1e309, "lon": -1e309}',
      `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
      '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}',
      '\u0000\u0001garbage',
      '{"a":',
    ),
    contentType: fc.constantFrom(
      'application/json',
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
    ),
  });
}

describe.each(backends())('hostile input on every route of the OpenAPI document, on %s', (backend) => {
  let t: TestApp;
  let operations: Operation[];
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    t = await makeTestApp(backend);
    await addTerritories(t);
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, Record<string, never>>>;
    };
    operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => {
        const schema = (op as { requestBody?: { content?: Record<string, { schema?: never }> } }).requestBody
          ?.content?.['application/json']?.schema as
          | { properties?: Record<string, unknown>; required?: string[] }
          | undefined;
        return {
          method: method.toUpperCase(),
          path,
          query: ((op as { parameters?: { in: string; name: string }[] }).parameters ?? [])
            .filter((p) => p.in === 'query')
            .map((p) => p.name),
          body: schema ? { properties: schema.properties ?? {}, required: schema.required ?? [] } : null,
        };
      }),
    );
  });
  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await t?.close();
  });

  async function adminHeaders() {
    const k = t.services.db.kysely;
    const id = await createUser(k, {
      email: `fuzz-${Math.random().toString(36).slice(2)}@test.example`,
      passwordHash: 'x',
      now: t.clock.now(),
    });
    await grantRole(k, id, 'admin');
    await grantRole(k, id, 'staff');
    await grantStaff(k, id, '75117');
    return { authorization: `Bearer ${await createSession(k, id, t.clock.now(), 3_600_000)}` };
  }

  it('answers every generated request with a 4xx problem+json or a 2xx, never a 5xx', async () => {
    expect(operations.length).toBeGreaterThan(50);
    fullGc();
    const heapBefore = process.memoryUsage().heapUsed;
    const failures: string[] = [];
    let requests = 0;
    let headers = await adminHeaders();
    for (const op of operations) {
      // The live SSE stream would never end for a valid territory: hostile requests only, as anonymous.
      const streams = op.path.endsWith('/live');
      await fc.assert(
        fc.asyncProperty(requestFor(op), async (r) => {
          let i = 0;
          const url = op.path.replace(/\{[^}]+\}/g, () => encode(r.params[i++]));
          const qs = r.query.map(([k, v]) => `${k}=${encode(v)}`).join('&');
          const payload = r.raw ?? (r.body === undefined ? undefined : JSON.stringify(r.body));
          const res = await t.app.inject({
            method: op.method as 'GET',
            url: qs ? `${url}?${qs}` : url,
            headers: {
              ...(streams ? {} : headers),
              ...(payload !== undefined ? { 'content-type': r.contentType } : {}),
            },
            ...(payload !== undefined ? { payload } : {}),
          });
          requests++;
          if (res.statusCode === 401) headers = await adminHeaders(); // logged out or erased itself
          const type = String(res.headers['content-type'] ?? '');
          const bad =
            res.statusCode >= 500 ||
            (res.statusCode >= 400 &&
              (!type.startsWith('application/problem+json') || !/^HAVRE_ERR_[A-Z_]+$/.test(res.json().code)));
          if (bad && failures.length < 20)
            failures.push(
              `${op.method} ${url.slice(0, 80)}?${qs.slice(0, 80)} → ${res.statusCode} ${res.body.slice(0, 200)}`,
            );
          return true;
        }),
        { numRuns: 40, seed: 20261128 },
      );
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(1_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(rejections).toEqual([]);
    fullGc();
    // Generous bound: the run allocates hundreds of MB of hostile strings; what stays must be small.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(150 * 1024 * 1024);
  }, 240_000);

  it('regression: a path that is not valid percent-encoded UTF-8 gets 400 problem+json (was Fastify JSON FST_ERR_BAD_URL)', async () => {
    for (const url of ['/api/places/%ED%A0%80', '/api/territories/%C0%AF..%C0%AF', '/api/shares/%E0%A4%A']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().code).toBe('HAVRE_ERR_BAD_REQUEST');
    }
  });

  it('regression: a NUL byte in a valid request is 400 HAVRE_ERR_VALIDATION on both engines (was 500 on PostgreSQL); lone surrogates and bidi controls never 5xx', async () => {
    const headers = await adminHeaders();
    const failures: string[] = [];
    for (const bad of ['a\u0000b', 'a\ud800b', '\u202eabc\u200b']) {
      const requests: [string, string, object][] = [
        [
          'POST',
          '/api/partner/places',
          { name: bad, kind: 'bar', address: bad, lat: 48.8848, lon: 2.3204, charterAccepted: true },
        ],
        [
          'POST',
          '/api/reports',
          {
            category: 'following',
            role: 'victim',
            lat: 48.8838,
            lon: 2.3203,
            occurredAt: new Date(t.clock.now() - 60_000).toISOString(),
            description: `${bad} suivie`,
            shareDescription: true,
          },
        ],
        [
          'POST',
          '/api/territories/75117/actions',
          {
            title: bad,
            text: bad,
            date: '2026-11-20',
            area: {
              type: 'Polygon',
              coordinates: [
                [
                  [2.3195, 48.8835],
                  [2.3205, 48.8835],
                  [2.3205, 48.8845],
                  [2.3195, 48.8835],
                ],
              ],
            },
          },
        ],
        ['POST', '/api/devices', { publicKey: bad, label: bad }],
        ['PUT', '/api/me/phone', { phone: bad }],
        ['POST', '/api/auth/signup', { email: `${bad}@test.example`, password: `${bad}-long-password` }],
        ['POST', '/api/auth/login', { email: `x${bad}@test.example`, password: bad }],
      ];
      for (const [method, url, payload] of requests) {
        const res = await t.app.inject({ method: method as 'POST', url, headers, payload });
        const nul = bad.includes('\u0000');
        if (
          nul ? res.statusCode !== 400 || res.json().code !== 'HAVRE_ERR_VALIDATION' : res.statusCode >= 500
        )
          failures.push(
            `${method} ${url} ${JSON.stringify(bad)} → ${res.statusCode} ${res.body.slice(0, 120)}`,
          );
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses a 200 KB query string over real HTTP with a 4xx and keeps serving', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const huge = await fetch(`${address}/api/places/nearest?lat=48.88&lon=2.32&x=${'a'.repeat(200_000)}`);
    expect(huge.status).toBeGreaterThanOrEqual(400);
    expect(huge.status).toBeLessThan(500);
    expect((await fetch(`${address}/api/health`)).status).toBe(200);
  });
});
