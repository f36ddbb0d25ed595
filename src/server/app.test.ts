import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../test/helpers/app.ts';
import { buildApp } from './app.ts';

describe('the HTTP contracts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp('sqlite');
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers GET /api/health with {"status":"ok"}', async () => {
    const res = await t.app.inject({ url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('answers GET /api/ready with 200 while the database is reachable', async () => {
    const res = await t.app.inject({ url: '/api/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', database: true, redis: null });
  });

  it('publishes an OpenAPI 3 document in which every API route has a request and a response schema', async () => {
    const res = await t.app.inject({ url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    const operations = Object.entries(
      doc.paths as Record<string, Record<string, { responses?: object }>>,
    ).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
    expect(operations.length).toBeGreaterThan(10);
    for (const { path, method, op } of operations) {
      expect(Object.keys(op.responses ?? {}), `${method} ${path}`).not.toContain('default');
      expect(
        Object.keys(op.responses ?? {}).length,
        `${method} ${path} has response schemas`,
      ).toBeGreaterThan(0);
    }
    expect(doc.paths['/api/auth/login'].post.requestBody).toBeDefined();
  });

  it('serves Prometheus metrics', async () => {
    await t.app.inject({ url: '/api/health' });
    const res = await t.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('havre_http_request_duration_seconds_bucket');
    expect(res.body).toContain('route="/api/health"');
  });

  it('answers malformed JSON with 400 problem+json and a stable code', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": "a@b.c", ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 400, code: 'HAVRE_ERR_MALFORMED_JSON' });
  });

  it('answers wrong types with 400 and does not coerce strings into numbers or booleans', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 42, password: true },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('HAVRE_ERR_VALIDATION');
  });

  it('answers an oversized body with 413', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'a@b.cd', password: 'x'.repeat(200_000) },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('HAVRE_ERR_PAYLOAD_TOO_LARGE');
  });

  it('answers an unsupported content type with 415', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=a@b.cd&password=x',
    });
    expect(res.statusCode).toBe(415);
  });

  it('answers an unknown API route with 404 problem+json', async () => {
    const res = await t.app.inject({ url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('HAVRE_ERR_NOT_FOUND');
  });

  it('sends a CSP without inline scripts and forbids framing', async () => {
    const res = await t.app.inject({ url: '/api/health' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('never shows internals on a 5xx', async () => {
    const app = await buildApp(t.services, { rateLimit: false });
    app.get('/api/test-crash', { schema: { hide: true } }, async () => {
      throw new Error('secret internal detail at /srv/havre/db.ts:42');
    });
    const res = await app.inject({ url: '/api/test-crash' });
    await app.close();
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      type: 'about:blank',
      title: 'Internal error',
      status: 500,
      code: 'HAVRE_ERR_INTERNAL',
    });
  });
});
