import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, TEST_PASSWORD, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';

describe.each(backends())('accounts on %s', (backend) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(backend);
  });
  afterEach(async () => {
    await t.close();
  });

  const signup = (email: string, password = TEST_PASSWORD) =>
    t.app.inject({ method: 'POST', url: '/api/auth/signup', payload: { email, password } });

  it('signs up a citizen, sets an HttpOnly session cookie and answers /api/me', async () => {
    const res = await signup('Alice@Example.org');
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ email: 'alice@example.org', roles: ['citizen'], territories: [] });
    const cookie = res.cookies.find((c) => c.name === 'havre_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const me = await t.app.inject({ url: '/api/me', cookies: { havre_session: cookie.value } });
    expect(me.statusCode).toBe(200);
    expect(me.json().email).toBe('alice@example.org');
  });

  it('refuses a second account on the same address with 409', async () => {
    await signup('bob@example.org');
    const res = await signup('BOB@example.org');
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('HAVRE_ERR_EMAIL_TAKEN');
  });

  it('rejects a short password and unknown fields with 400', async () => {
    const short = await signup('c@example.org', 'short');
    expect(short.statusCode).toBe(400);
    expect(short.json().code).toBe('HAVRE_ERR_VALIDATION');
    const extra = await t.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { email: 'd@example.org', password: TEST_PASSWORD, admin: true },
    });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().detail).toContain('admin');
  });

  it('logs in, logs out, and the old token no longer works', async () => {
    const user = await userWith(t);
    expect((await t.app.inject({ url: '/api/me', headers: user.auth })).statusCode).toBe(200);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: user.auth });
    expect(out.statusCode).toBe(204);
    const after = await t.app.inject({ url: '/api/me', headers: user.auth });
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('HAVRE_ERR_UNAUTHENTICATED');
  });

  it('answers a wrong password and an unknown address the same way', async () => {
    const user = await userWith(t);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: user.email, password: 'not-the-password' },
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'nobody@example.org', password: 'not-the-password' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
  });

  it('throttles login after 5 failures on one account, even with the right password', async () => {
    const user = await userWith(t);
    for (let i = 0; i < 5; i++) {
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: user.email, password: 'wrong-wrong' },
      });
    }
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: user.email, password: TEST_PASSWORD },
    });
    expect(res.statusCode).toBe(429);
    expect(res.json().code).toBe('HAVRE_ERR_LOGIN_THROTTLED');
  });

  it('refuses a cross-site write made with the session cookie (CSRF)', async () => {
    const user = await userWith(t);
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      cookies: { havre_session: user.token },
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      payload: { locale: 'en' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('HAVRE_ERR_CSRF');
    const same = await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      cookies: { havre_session: user.token },
      headers: { origin: 'http://localhost:8080', 'sec-fetch-site': 'same-origin' },
      payload: { locale: 'en' },
    });
    expect(same.statusCode).toBe(200);
    expect(same.json().locale).toBe('en');
  });

  it('verifies the e-mail address with the link sent by e-mail', async () => {
    const res = await signup('verify@example.org');
    const cookies = { havre_session: res.cookies.find((c) => c.name === 'havre_session')!.value };
    await expect.poll(() => t.mail.sent.length).toBe(1);
    const token = t.mail.sent[0].text.match(/#([\w-]+)/)![1];
    expect(t.mail.sent[0].to).toBe('verify@example.org');
    const ok = await t.app.inject({ method: 'POST', url: '/api/auth/verify-email', payload: { token } });
    expect(ok.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/me', cookies })).json().emailVerified).toBe(true);
    const again = await t.app.inject({ method: 'POST', url: '/api/auth/verify-email', payload: { token } });
    expect(again.json().code).toBe('HAVRE_ERR_TOKEN_INVALID');
  });

  it('resets a password by e-mail link, signs out every session, and reveals nothing for unknown addresses', async () => {
    const user = await userWith(t);
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset',
      payload: { email: 'ghost@example.org' },
    });
    expect(unknown.statusCode).toBe(202);
    const known = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset',
      payload: { email: user.email },
    });
    expect(known.statusCode).toBe(202);
    await expect.poll(() => t.mail.sent.length).toBe(1);
    const token = t.mail.sent[0].text.match(/#([\w-]+)/)![1];
    const confirm = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/confirm',
      payload: { token, password: 'a-brand-new-password' },
    });
    expect(confirm.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/me', headers: user.auth })).statusCode).toBe(401);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: user.email, password: 'a-brand-new-password' },
    });
    expect(login.statusCode).toBe(200);
  });

  it('exports my data as JSON and erases every row of my account on deletion', async () => {
    const user = await userWith(t, { roles: ['staff'], territories: ['75117'] });
    const exported = await t.app.inject({ url: '/api/me/export', headers: user.auth });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-disposition']).toContain('attachment');
    expect(exported.json().account).toMatchObject({ email: user.email, staffTerritories: ['75117'] });
    const refused = await t.app.inject({
      method: 'DELETE',
      url: '/api/me',
      headers: user.auth,
      payload: { password: 'wrong-password' },
    });
    expect(refused.statusCode).toBe(401);
    const deleted = await t.app.inject({
      method: 'DELETE',
      url: '/api/me',
      headers: user.auth,
      payload: { password: TEST_PASSWORD },
    });
    expect(deleted.statusCode).toBe(204);
    const k = t.services.db.kysely;
    for (const table of [
      'users',
      'user_roles',
      'staff_territories',
      'sessions',
      'email_tokens',
      'outbox',
    ] as const) {
      const rows = await k.selectFrom(table).selectAll().execute();
      expect(JSON.stringify(rows), table).not.toContain(user.id);
      expect(JSON.stringify(rows), table).not.toContain(user.email);
    }
  });

  it('never writes passwords, tokens or e-mail addresses to the logs', async () => {
    const res = await signup('private@example.org');
    const token = res.cookies.find((c) => c.name === 'havre_session')!.value;
    await t.app.inject({ url: '/api/me', headers: { authorization: `Bearer ${token}` } });
    const all = t.logs.lines.join('\n');
    expect(t.logs.lines.length).toBeGreaterThan(0);
    expect(all).not.toContain('private@example.org');
    expect(all).not.toContain(TEST_PASSWORD);
    expect(all).not.toContain(token);
  });
});
