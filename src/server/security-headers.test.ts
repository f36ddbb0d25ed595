import helmet from '@fastify/helmet';
import Fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../test/helpers/app.ts';
import { helmetHeaders } from './security-headers.ts';

const OPTIONS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'self'"], frameAncestors: ["'none'"] },
  },
  crossOriginEmbedderPolicy: false,
} as const;

describe('security headers computed once', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp('sqlite', { env: { HAVRE_MAP_STYLE_URL: 'https://tiles.example.org/style.json' } });
  });
  afterEach(async () => {
    await t.close();
  });

  it('are exactly the headers @fastify/helmet sends per request with the same options', async () => {
    const app = Fastify({ logger: false });
    await app.register(helmet, OPTIONS);
    app.get('/', async () => 'ok');
    const perRequest = (await app.inject('/')).headers;
    await app.close();
    const once = await helmetHeaders(OPTIONS);
    expect(Object.keys(once).length).toBeGreaterThan(5);
    for (const [name, value] of Object.entries(once)) expect(perRequest[name]).toBe(value);
    expect(once['content-security-policy']).toBe("default-src 'self';frame-ancestors 'none'");
  });

  it('reach every reply of the app, problems included, with the map style origin in the CSP', async () => {
    for (const url of ['/api/health', '/api/nothing-here']) {
      const res = await t.app.inject({ url });
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(String(res.headers['content-security-policy'])).toContain(
        "img-src 'self' data: blob: https://tiles.example.org",
      );
    }
  });
});
