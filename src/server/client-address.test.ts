/**
 * Per-client limits behind a reverse proxy: a client that writes its own X-Forwarded-For is
 * counted by the address the proxy saw, on Fastify's path and on the front door's fast path
 * (real HTTP server). Each request below arrives from 127.0.0.1 — the proxy — with the header a
 * proxy appending to it (`$proxy_add_x_forwarded_for`) would pass: the client's forged entries,
 * then the address the proxy saw.
 */
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../test/helpers/app.ts';
import { clientAddress, proxyTrust, type TrustProxy } from './client-address.ts';
import { loadConfig } from './config.ts';

const LIMIT = 3;

describe('client address behind a reverse proxy', () => {
  let t: TestApp | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  async function start(trustProxy?: string): Promise<string> {
    t = await makeTestApp('sqlite', {
      rateLimit: true,
      logLevel: 'warn',
      env: { HAVRE_RATE_LIMIT: String(LIMIT), ...(trustProxy ? { HAVRE_TRUST_PROXY: trustProxy } : {}) },
    });
    // A fast route on a path Fastify also serves: over the limit, the front door hands the
    // request to Fastify, which answers the 429.
    t.app.frontDoor.route('/api/health', () => () => ({
      contentType: 'text/plain',
      body: Buffer.from('front door'),
    }));
    return t.app.listen({ port: 0, host: '127.0.0.1' });
  }

  /** Statuses of requests whose X-Forwarded-For starts with a new forged address every time. */
  async function forging(base: string, path: string, seenByProxy: string, count: number) {
    const statuses: number[] = [];
    for (let i = 0; i < count; i++) {
      const res = await fetch(`${base}${path}`, {
        headers: { 'x-forwarded-for': `10.9.${i}.1, 203.0.113.${i}, ${seenByProxy}` },
      });
      statuses.push(res.status);
      await res.body?.cancel();
    }
    return statuses;
  }

  it.each([
    ['1', 'one hop'],
    ['true', 'true, which means one hop'],
    ['127.0.0.1', 'the proxy by address'],
    ['loopback,10.0.0.0/8', 'the proxies by range'],
  ])(
    'limits a client forging X-Forwarded-For by the address the proxy saw (HAVRE_TRUST_PROXY=%s: %s)',
    async (setting) => {
      const base = await start(setting);
      // Fastify's path (rate limit hook, request.ip).
      expect(await forging(base, '/api/config', '198.51.100.7', LIMIT + 1)).toEqual([200, 200, 200, 429]);
      // Another client behind the same proxy keeps its own quota.
      expect(await forging(base, '/api/config', '198.51.100.8', 1)).toEqual([200]);
      // The front door's fast path counts the same way, and Fastify answers once it is over.
      const before = t!.app.frontDoor.answered;
      expect(await forging(base, '/api/health', '198.51.100.9', LIMIT + 1)).toEqual([200, 200, 200, 429]);
      expect(t!.app.frontDoor.answered - before).toBe(LIMIT);
    },
  );

  it('ignores X-Forwarded-For without a trusted proxy: the peer is the client', async () => {
    const base = await start();
    expect(await forging(base, '/api/config', '198.51.100.7', 2)).toEqual([200, 200]);
    expect(await forging(base, '/api/health', '198.51.100.8', 2)).toEqual([200, 429]);
  });

  it('gives the front door the address Fastify gives request.ip, for every setting', async () => {
    const chains = [
      undefined,
      '198.51.100.7',
      '10.9.0.1, 198.51.100.7',
      '198.51.100.7, 10.0.0.2',
      'junk, 10.0.0.2',
    ];
    const settings: TrustProxy[] = [0, 1, 2, ['127.0.0.1'], ['loopback', '10.0.0.0/8'], ['192.0.2.1']];
    for (const setting of settings) {
      const trust = proxyTrust(setting);
      const app = Fastify({ trustProxy: trust });
      app.get('/', async (request) => ({ fastify: request.ip, door: clientAddress(request.raw, trust) }));
      for (const chain of chains) {
        const res = await app.inject({ url: '/', headers: chain ? { 'x-forwarded-for': chain } : {} });
        const { fastify, door } = res.json();
        expect(door, `${JSON.stringify(setting)} ${chain}`).toBe(fastify);
      }
      await app.close();
    }
  });

  it('reads HAVRE_TRUST_PROXY as hops or proxies, and refuses anything else naming the variable', () => {
    const read = (value?: string) =>
      loadConfig({ HAVRE_SECRET: 'x'.repeat(40), HAVRE_TRUST_PROXY: value }).trustProxy;
    expect(read()).toBe(0);
    expect(read('false')).toBe(0);
    expect(read('true')).toBe(1);
    expect(read('2')).toBe(2);
    expect(read('127.0.0.1, 10.0.0.0/8')).toEqual(['127.0.0.1', '10.0.0.0/8']);
    for (const bad of ['maybe', '10.0.0.0/33', '127.0.0.1,', '11'])
      expect(() => read(bad), bad).toThrow(/^HAVRE_TRUST_PROXY: /);
  });
});
