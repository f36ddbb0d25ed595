/**
 * The nearest route's fast path (src/server/front-door.ts) against the Fastify route it
 * shortcuts, over real HTTP: the same status, headers (in the same order) and bytes, the same
 * rate limiter and metrics, and every query it does not fully understand left to Fastify.
 * A query with one character percent-encoded means the same to Fastify but is not taken by the
 * fast path: that is how each comparison reaches both paths with the same question.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import { loadBundledTerritories } from '../territories/bundled.ts';
import { importTerritories } from '../territories/import.ts';
import { placesDataPath } from './demo.ts';
import { importPlaces } from './import/import.ts';
import { plainNearestFields } from './nearest-fast-path.ts';

interface Raw {
  status: number;
  headers: [string, string][];
  body: Buffer;
}

function get(base: string, path: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    request(`${base}${path}`, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const headers: [string, string][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2)
          headers.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
        resolve({ status: res.statusCode as number, headers, body: Buffer.concat(chunks) });
      });
    })
      .on('error', reject)
      .end();
  });
}

/** Values that differ between two responses: the date, the remaining quota (one more request), the reset (a second may pass). */
const VARYING = ['date', 'x-ratelimit-remaining', 'x-ratelimit-reset'];
const comparable = (r: Raw) =>
  r.headers.map(([name, value]) => [name, VARYING.includes(name.toLowerCase()) ? '' : value]);
const header = (r: Raw, name: string) => Number(r.headers.find(([n]) => n === name)?.[1]);
const remaining = (r: Raw) => header(r, 'x-ratelimit-remaining');

/** The same query with its first `.` percent-encoded: Fastify's parser reads the same value. */
const encoded = (query: string) => query.replace('.', '%2E');

const QUERIES = [
  'lat=48.8846&lon=2.3206',
  'lat=49.4402&lon=1.0949&limit=10&openOnly=true&at=2026-11-30T09:00:00Z',
  'lat=49.4160&lon=1.0914&kinds=police&at=2026-11-28T21:30:00Z&limit=1',
  'lat=48.85&lon=2.35&kinds=police,gendarmerie&partnerOnly=false&openOnly=false&limit=50',
  'lat=43.3&lon=5.4&partnerOnly=true',
  'lat=-0.5&lon=-179.999&limit=05',
];

describe.each(backends())('nearest fast path on %s', (backend) => {
  let t: TestApp;
  let base: string;
  afterEach(async () => {
    await t.close();
  });

  async function start(options: Parameters<typeof makeTestApp>[1] = {}) {
    t = await makeTestApp(backend, { logLevel: 'warn', rateLimit: true, ...options });
    await importTerritories(t.services, loadBundledTerritories());
    await importPlaces(t.services, placesDataPath('police-gendarmerie-france.geojson'));
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    // The first query builds the index (Fastify's route waits for it); the fast path takes
    // queries once it is built and this instance listens for place changes.
    await expect
      .poll(
        async () => {
          const before = t.app.frontDoor.answered;
          expect((await get(base, `/api/places/nearest?${QUERIES[0]}`)).status).toBe(200);
          return t.app.frontDoor.answered - before;
        },
        { timeout: 20_000 },
      )
      .toBe(1);
  }

  it('answers with the same status, headers and bytes as the Fastify route, counted by the same limiter', async () => {
    await start();
    let places = 0;
    for (const query of QUERIES) {
      // The door declines while the index is rebuilt (a change heard on the bus after start,
      // e.g. the import's own notification): ask again until the door answers.
      let fast = {} as Raw;
      let before = t.app.frontDoor.answered;
      await expect
        .poll(
          async () => {
            before = t.app.frontDoor.answered;
            fast = await get(base, `/api/places/nearest?${query}`);
            return t.app.frontDoor.answered - before;
          },
          { timeout: 20_000 },
        )
        .toBe(1);
      const slow = await get(base, `/api/places/nearest?${encoded(query)}`);
      expect(t.app.frontDoor.answered).toBe(before + 1);
      expect(fast.status).toBe(200);
      expect(slow.status).toBe(200);
      expect(comparable(fast)).toEqual(comparable(slow));
      expect(fast.body.equals(slow.body)).toBe(true);
      expect(remaining(slow)).toBe(remaining(fast) - 1);
      const reset = header(fast, 'x-ratelimit-reset');
      expect(reset).toBeGreaterThan(0);
      expect(reset - header(slow, 'x-ratelimit-reset')).toBeGreaterThanOrEqual(0);
      expect(reset - header(slow, 'x-ratelimit-reset')).toBeLessThanOrEqual(1);
      places += JSON.parse(fast.body.toString()).places.length;
    }
    expect(places).toBeGreaterThan(20);
    // The security headers of every reply.
    const names = (await get(base, `/api/places/nearest?${QUERIES[0]}`)).headers.map(([n]) =>
      n.toLowerCase(),
    );
    expect(names).toEqual(
      expect.arrayContaining(['content-security-policy', 'x-content-type-options', 'x-frame-options']),
    );
  });

  it('leaves every query it does not fully understand to the route: the same 400 problems', async () => {
    await start();
    const bad: [string, string][] = [
      ['lat=abc&lon=2.35', 'HAVRE_ERR_VALIDATION'],
      ['lat=48.85', 'HAVRE_ERR_VALIDATION'],
      ['lat=48.85&lon=2.35&limit=0', 'HAVRE_ERR_VALIDATION'],
      ['lat=48.85&lon=2.35&limit=51', 'HAVRE_ERR_VALIDATION'],
      ['lat=48.85&lon=2.35&at=yesterday', 'HAVRE_ERR_PLACE_BAD_TIME'],
      ['lat=48.85&lon=2.35&at=2026-12-01T22:00', 'HAVRE_ERR_PLACE_BAD_TIME'],
      ['lat=48.85&lon=2.35&kinds=unicorn', 'HAVRE_ERR_VALIDATION'],
      ['lat=48.85&lon=2.35&openOnly=yes', 'HAVRE_ERR_VALIDATION'],
      ['lat=48.85&lon=2.35&x=1', 'HAVRE_ERR_VALIDATION'],
      ['lat=48.85&lat=48.86&lon=2.35', 'HAVRE_ERR_VALIDATION'],
      ['lat=48.85&lon=2.35&kinds=p%00lice', 'HAVRE_ERR_VALIDATION'],
      // Plain decimals out of range: the door must not answer them with the index's clamped edge.
      ['lat=200&lon=2.35', 'HAVRE_ERR_VALIDATION'],
      ['lat=-90.01&lon=2.35', 'HAVRE_ERR_VALIDATION'],
      ['lat=48.85&lon=500', 'HAVRE_ERR_VALIDATION'],
      ['lat=48.85&lon=-180.5', 'HAVRE_ERR_VALIDATION'],
      ['lat=1000&lon=2', 'HAVRE_ERR_VALIDATION'],
      ['lat=Infinity&lon=5000', 'HAVRE_ERR_VALIDATION'],
    ];
    const before = t.app.frontDoor.answered;
    for (const [query, code] of bad) {
      const res = await get(base, `/api/places/nearest?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.find(([n]) => n === 'content-type')?.[1]).toBe(
        'application/problem+json; charset=utf-8',
      );
      expect(JSON.parse(res.body.toString()).code, query).toBe(code);
    }
    expect(t.app.frontDoor.answered).toBe(before);
  });

  it('over the limit, the route answers the 429: the fast path counted in the same window', async () => {
    await start({ env: { HAVRE_RATE_LIMIT: '8' } });
    let last = remaining(await get(base, `/api/places/nearest?${QUERIES[1]}`));
    while (last > 0) {
      const before = t.app.frontDoor.answered;
      const next = remaining(await get(base, `/api/places/nearest?${QUERIES[1]}`));
      expect(next).toBe(last - 1);
      expect(t.app.frontDoor.answered).toBe(before + 1);
      last = next;
    }
    const before = t.app.frontDoor.answered;
    const over = await get(base, `/api/places/nearest?${QUERIES[1]}`);
    expect(over.status).toBe(429);
    expect(JSON.parse(over.body.toString()).code).toBe('HAVRE_ERR_TOO_MANY_REQUESTS');
    expect(t.app.frontDoor.answered).toBe(before);
  });

  it('records its answers in the request metrics under the route pattern', async () => {
    await start();
    const count = async () => {
      const text = (await t.app.inject({ url: '/metrics' })).body;
      const line = text
        .split('\n')
        .find((l) =>
          l.startsWith(
            'havre_http_request_duration_seconds_count{method="GET",route="/api/places/nearest",status="200"}',
          ),
        );
      return Number(line?.split(' ')[1] ?? 0);
    };
    const before = await count();
    await get(base, `/api/places/nearest?${QUERIES[2]}`);
    expect(await count()).toBe(before + 1);
  });

  it('writes the same request log lines as Fastify, without the query (it holds a position)', async () => {
    await start({ logLevel: 'info' });
    const lines = () => t.logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const shape = (entries: Record<string, unknown>[]) =>
      entries
        .filter((e) => e.msg === 'incoming request' || e.msg === 'request completed')
        .map((e) => ({
          msg: e.msg,
          level: e.level,
          req: e.req && { ...(e.req as object), id: typeof (e.req as { id: unknown }).id },
          statusCode: (e.res as { statusCode?: number } | undefined)?.statusCode,
          responseTime: typeof e.responseTime,
          reqId: typeof e.reqId,
        }));
    let mark = t.logs.lines.length;
    const before = t.app.frontDoor.answered;
    expect((await get(base, `/api/places/nearest?${QUERIES[1]}`)).status).toBe(200);
    expect(t.app.frontDoor.answered).toBe(before + 1);
    const fast = lines().slice(mark);
    mark = t.logs.lines.length;
    expect((await get(base, `/api/places/nearest?${encoded(QUERIES[1])}`)).status).toBe(200);
    expect(t.app.frontDoor.answered).toBe(before + 1);
    const slow = lines().slice(mark);
    expect(shape(fast)).toHaveLength(2);
    expect(shape(fast)).toEqual(shape(slow));
    expect(shape(fast)[0].req).toEqual({ method: 'GET', path: '/api/places/nearest', id: 'string' });
    const ids = fast.map((e) => e.reqId);
    expect(ids[0]).toBe(ids[1]);
    for (const line of t.logs.lines) {
      expect(line).not.toContain('49.44');
      expect(line).not.toContain('lat=');
    }
  });
});

describe('plainNearestFields', () => {
  it('takes coordinates up to the bounds of the schema, edges included', () => {
    expect(plainNearestFields('lat=90&lon=-180')).toEqual({ lat: 90, lon: -180 });
    expect(plainNearestFields('lat=-90.0&lon=180.000')).toEqual({ lat: -90, lon: 180 });
  });

  it('reads plain queries as the schema types them', () => {
    expect(
      plainNearestFields(
        'lat=48.85&lon=-2.5&limit=07&openOnly=true&partnerOnly=false&kinds=bar,police&at=2026-11-28T22:00:00Z',
      ),
    ).toEqual({
      lat: 48.85,
      lon: -2.5,
      limit: 7,
      openOnly: true,
      partnerOnly: false,
      kinds: 'bar,police',
      at: '2026-11-28T22:00:00Z',
    });
  });

  it('declines anything it would have to decode, coerce loosely or refuse', () => {
    for (const query of [
      '',
      'lat=48.85',
      'lat=48.85&lon=2.35&',
      'lat=4.885e1&lon=2.35',
      'lat=0x10&lon=2.35',
      'lat=%2048.85&lon=2.35',
      'lat=48.85&lon=2.35&at=2026-11-28T22:00:00+01:00',
      'lat=48.85&lon=2.35&limit=1.5',
      'lat=48.85&lon=2.35&openOnly=1',
      'lat=48.85&lon=2.35&lon=2.36',
      'lat=48.85&lon=2.35&__proto__=1',
      `lat=48.85&lon=2.35&at=${'2'.repeat(41)}`,
      'lat=48.85&lon=2.35&kinds=Bar',
      'lat=90.01&lon=2.35',
      'lat=-999&lon=2.35',
      'lat=48.85&lon=180.5',
      'lat=48.85&lon=-181',
    ])
      expect(plainNearestFields(query), query).toBeNull();
  });
});
