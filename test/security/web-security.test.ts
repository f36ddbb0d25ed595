/**
 * Web security: session cookie flags, CSRF refused on every cookie-authenticated write route
 * (generated from the OpenAPI route table), clickjacking protection, a CSP without inline
 * scripts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, TEST_PASSWORD, type TestApp, userWith } from '../helpers/app.ts';

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function login(t: TestApp, email: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password: TEST_PASSWORD },
  });
  expect(res.statusCode).toBe(200);
  return res;
}

describe('web security', () => {
  let t: TestApp;
  let writeRoutes: { method: string; url: string }[];
  beforeAll(async () => {
    t = await makeTestApp('sqlite');
    const doc = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    writeRoutes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .map((m) => m.toUpperCase())
        .filter((m) => WRITE.has(m))
        // Path parameters filled with a well-formed id: CSRF is refused before any lookup.
        .map((method) => ({
          method,
          url: path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000'),
        })),
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, path /, not Secure over plain http', async () => {
    const user = await userWith(t);
    const res = await login(t, user.email);
    const cookie = res.cookies.find((c) => c.name === 'havre_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.secure).toBeFalsy();
  });

  it('sets the session cookie Secure when HAVRE_PUBLIC_URL is https', async () => {
    const https = await makeTestApp('sqlite', { env: { HAVRE_PUBLIC_URL: 'https://havre.example.org' } });
    try {
      const user = await userWith(https);
      const res = await login(https, user.email);
      const cookie = res.cookies.find((c) => c.name === 'havre_session');
      expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax' });
      expect(res.headers['strict-transport-security']).toBeDefined();
    } finally {
      await https.close();
    }
  });

  it('refuses a cross-site write with the session cookie on every write route (403 HAVRE_ERR_CSRF)', async () => {
    expect(writeRoutes.length).toBeGreaterThan(40);
    const user = await userWith(t);
    const failures: string[] = [];
    for (const route of writeRoutes) {
      for (const headers of [
        { 'sec-fetch-site': 'cross-site' },
        { origin: 'https://evil.example' },
        { 'sec-fetch-site': 'same-site', origin: 'https://sub.localhost' },
      ]) {
        const res = await t.app.inject({
          method: route.method as 'POST',
          url: route.url,
          cookies: { havre_session: user.token },
          headers,
          payload: {},
        });
        if (res.statusCode !== 403 || res.json().code !== 'HAVRE_ERR_CSRF')
          failures.push(
            `${route.method} ${route.url} ${JSON.stringify(headers)}: ${res.statusCode} ${res.body.slice(0, 100)}`,
          );
      }
    }
    expect(failures).toEqual([]);
    // The user is still signed in: nothing above was executed (DELETE /api/me, logout…).
    expect((await t.app.inject({ url: '/api/me', headers: user.auth })).statusCode).toBe(200);
  });

  it('accepts the same cookie write from the same origin (the CSRF check is not a blanket refusal)', async () => {
    const user = await userWith(t);
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      cookies: { havre_session: user.token },
      headers: { 'sec-fetch-site': 'same-origin', origin: 'http://localhost:8080' },
      payload: { locale: 'en' },
    });
    expect(res.statusCode).toBe(200);
  });

  it('forbids framing and sends a CSP without inline or eval scripts', async () => {
    const res = await t.app.inject({ url: '/api/health' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src'));
    expect(scriptSrc).toBeDefined();
    expect(scriptSrc).not.toContain('unsafe-inline');
    expect(scriptSrc).not.toContain('unsafe-eval');
    expect(csp).toContain("object-src 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});
