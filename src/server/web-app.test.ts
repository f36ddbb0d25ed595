import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../test/helpers/app.ts';

/** A built web app in a temporary folder: two documents, a hashed script and its copies, a service worker. */
function fakeWebApp(): string {
  const web = mkdtempSync(join(tmpdir(), 'havre-web-'));
  mkdirSync(join(web, 'assets'));
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>Havre</title>');
  writeFileSync(join(web, 'sos.html'), '<!doctype html><title>SOS · Havre</title>');
  writeFileSync(join(web, 'assets/app-123.js'), 'export const answer = 42;');
  writeFileSync(join(web, 'assets/app-123.js.gz'), gzipSync('export const answer = 42;'));
  writeFileSync(join(web, 'assets/app-123.js.br'), brotliCompressSync('export const answer = 42;'));
  writeFileSync(join(web, 'sw.js'), 'self.x = 1');
  return web;
}

describe('serving the web app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp('sqlite', { env: { HAVRE_WEB_DIR: fakeWebApp() } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers a client-side route of the app with index.html, not cached', async () => {
    const res = await t.app.inject({ url: '/compte', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<title>Havre</title>');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('answers /sos with its own page, not the app', async () => {
    for (const url of ['/sos', '/sos?from=home']) {
      const res = await t.app.inject({ url, headers: { accept: 'text/html' } });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<title>SOS · Havre</title>');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
    const other = await t.app.inject({ url: '/sos/autre', headers: { accept: 'text/html' } });
    expect(other.body).toContain('<title>Havre</title>');
  });

  it('caches hashed assets for a year and never the service worker', async () => {
    const asset = await t.app.inject({ url: '/assets/app-123.js' });
    expect(asset.headers['cache-control']).toContain('immutable');
    const sw = await t.app.inject({ url: '/sw.js' });
    expect(sw.headers['cache-control']).toBe('no-cache');
  });

  it('sends the compressed copy the build wrote when the browser accepts it, else the plain file', async () => {
    const br = await t.app.inject({ url: '/assets/app-123.js', headers: { 'accept-encoding': 'gzip, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toContain('javascript');
    expect(br.headers.vary).toContain('accept-encoding');
    const gz = await t.app.inject({ url: '/assets/app-123.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe('export const answer = 42;');
    const plain = await t.app.inject({
      url: '/assets/app-123.js',
      headers: { 'accept-encoding': 'identity' },
    });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe('export const answer = 42;');
    // No copy beside a file: the file itself.
    const sw = await t.app.inject({ url: '/sw.js', headers: { 'accept-encoding': 'gzip, br' } });
    expect(sw.headers['content-encoding']).toBeUndefined();
    expect(sw.body).toBe('self.x = 1');
  });

  it('keeps unknown API routes as 404 problem+json, even for a browser', async () => {
    const res = await t.app.inject({ url: '/api/unknown', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('HAVRE_ERR_NOT_FOUND');
  });
});

describe('the rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp('sqlite', {
      rateLimit: true,
      env: { HAVRE_WEB_DIR: fakeWebApp(), HAVRE_RATE_LIMIT: '5' },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('counts API requests only: a first visit’s many files never meet a 429, the API still does', async () => {
    // A first visit fetches every file of the app (the service worker's precache): ~120.
    for (let i = 0; i < 30; i++) {
      for (const url of ['/', '/sos', '/compte', '/assets/app-123.js', '/sw.js']) {
        const res = await t.app.inject({ url, headers: { accept: 'text/html' } });
        expect(res.statusCode, url).toBe(200);
      }
    }
    const api = [];
    for (let i = 0; i < 6; i++) api.push((await t.app.inject({ url: '/api/health' })).statusCode);
    expect(api).toEqual([200, 200, 200, 200, 200, 429]);
  });
});
