import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, TEST_PASSWORD, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import { purgeExpiredSignups, SIGNUP_LINK_TTL_MS, SIGNUP_MAILS_PER_ADDRESS_PER_HOUR } from './signup.ts';
import { listAdmins, loadCurrentUser, revokeAdmin } from './store.ts';

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

  /** The token of the last e-mail sent to `email` holding a link to `path`. */
  async function linkToken(email: string, path: string): Promise<string> {
    const pattern = new RegExp(`${path}#([\\w-]+)`);
    await expect.poll(() => t.mail.sent.some((m) => m.to === email && pattern.test(m.text))).toBe(true);
    const mail = t.mail.sent.findLast((m) => m.to === email && pattern.test(m.text))!;
    return mail.text.match(pattern)![1];
  }
  const complete = (token: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/signup/complete', payload: { token } });

  it('lists administrators and takes the role from one, never from the last (havre admin)', async () => {
    const k = t.services.db.kysely;
    const a = await userWith(t, { email: 'a-admin@example.org', roles: ['admin'] });
    const b = await userWith(t, { email: 'b-admin@example.org', roles: ['admin', 'staff'] });
    const citizen = await userWith(t, { email: 'citizen@example.org' });
    expect(await listAdmins(k)).toEqual(['a-admin@example.org', 'b-admin@example.org']);
    expect(await revokeAdmin(k, citizen.id)).toBe('not-admin');
    expect(await revokeAdmin(k, b.id)).toBe('removed');
    expect((await loadCurrentUser(k, b.id))?.roles).toEqual(['citizen', 'staff']);
    expect(await revokeAdmin(k, a.id)).toBe('last-admin');
    expect(await listAdmins(k)).toEqual(['a-admin@example.org']);
  });

  it('signs up verify-first: 202, then the e-mailed link creates a verified citizen and signs in', async () => {
    const res = await signup('Alice@Example.org');
    expect(res.statusCode).toBe(202);
    expect(res.body).toBe('null');
    expect(res.cookies).toEqual([]);
    expect(await t.services.db.kysely.selectFrom('users').select('id').execute()).toEqual([]);
    const token = await linkToken('alice@example.org', '/inscription/confirmer');
    const done = await complete(token);
    expect(done.statusCode).toBe(201);
    expect(done.json()).toMatchObject({
      email: 'alice@example.org',
      roles: ['citizen'],
      territories: [],
      emailVerified: true,
    });
    const cookie = done.cookies.find((c) => c.name === 'havre_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const me = await t.app.inject({ url: '/api/me', cookies: { havre_session: cookie.value } });
    expect(me.statusCode).toBe(200);
    expect(me.json().email).toBe('alice@example.org');
    const again = await complete(token);
    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe('HAVRE_ERR_TOKEN_INVALID');
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'alice@example.org', password: TEST_PASSWORD },
    });
    expect(login.statusCode).toBe(200);
  });

  it('carries the page to continue with in the link, for a browser that kept nothing of the request', async () => {
    const next = '/contacts/accepter#invitation-token_123';
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { email: 'chloe@example.org', password: TEST_PASSWORD, next },
    });
    expect(res.statusCode).toBe(202);
    const token = await linkToken('chloe@example.org', '/inscription/confirmer');
    const mail = t.mail.sent.findLast((m) => m.to === 'chloe@example.org')!;
    const fragment = new URL(mail.text.match(/https?:\/\/\S+/)![0]).hash;
    expect(fragment).toBe(`#${token}&suite=${encodeURIComponent(next)}`);
    expect(new URLSearchParams(fragment.slice(1)).get('suite')).toBe(next);
    expect((await complete(token)).statusCode).toBe(201);
    // The same request for an address that has an account: its "log in" link carries the page.
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { email: 'chloe@example.org', password: TEST_PASSWORD, next },
    });
    await expect.poll(() => t.mail.sent.filter((m) => m.to === 'chloe@example.org').length).toBe(2);
    const attempt = t.mail.sent.findLast((m) => m.to === 'chloe@example.org')!;
    expect(attempt.text).toContain(`/connexion#suite=${encodeURIComponent(next)}`);
  });

  it('refuses a page to continue with that is not one of the app (400, nothing sent)', async () => {
    for (const next of [
      '//evil.example/x',
      'https://evil.example',
      '/\\evil.example',
      '/a b',
      `/${'x'.repeat(600)}`,
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/signup',
        payload: { email: 'eve@example.org', password: TEST_PASSWORD, next },
      });
      expect(res.statusCode, next).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().code).toBe('HAVRE_ERR_VALIDATION');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(t.mail.sent.filter((m) => m.to === 'eve@example.org')).toEqual([]);
  });

  it('answers a sign-up on a known address exactly like a new one, and tells the owner by e-mail', async () => {
    const owner = await userWith(t, { email: 'bob@example.org' });
    const known = await signup('BOB@example.org', 'another-long-password');
    const fresh = await signup('carol@example.org');
    expect(known.statusCode).toBe(202);
    expect(known.body).toBe(fresh.body);
    expect(Object.keys(known.headers).sort()).toEqual(Object.keys(fresh.headers).sort());
    await expect.poll(() => t.mail.sent.filter((m) => m.to === 'bob@example.org').length).toBe(1);
    const notice = t.mail.sent.find((m) => m.to === 'bob@example.org')!;
    expect(notice.subject).toContain('quelqu’un a essayé de créer un compte');
    expect(notice.text).toContain('http://localhost:8080/connexion');
    expect(notice.text).toContain('/compte/mot-de-passe-oublie');
    expect(notice.text).not.toMatch(/#[\w-]{20,}/); // no link that could create or change anything
    // The account keeps its password; the attempt's password does nothing.
    const oldLogin = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: owner.email, password: TEST_PASSWORD },
    });
    expect(oldLogin.statusCode).toBe(200);
    expect(await t.services.db.kysely.selectFrom('pending_signups').select('email').execute()).toEqual([
      { email: 'carol@example.org' },
    ]);
  });

  it('creates one account when two links of the same address are opened; the second link is refused', async () => {
    await signup('dup@example.org');
    const first = await linkToken('dup@example.org', '/inscription/confirmer');
    await signup('dup@example.org', 'a-second-password');
    await expect.poll(() => t.mail.sent.filter((m) => m.to === 'dup@example.org').length).toBe(2);
    const second = await linkToken('dup@example.org', '/inscription/confirmer');
    expect(second).not.toBe(first);
    expect((await complete(second)).statusCode).toBe(201);
    expect((await complete(first)).json().code).toBe('HAVRE_ERR_TOKEN_INVALID');
    expect(await t.services.db.kysely.selectFrom('pending_signups').selectAll().execute()).toEqual([]);
  });

  it('refuses an expired sign-up link, and the retention job purges it', async () => {
    await signup('late@example.org');
    const token = await linkToken('late@example.org', '/inscription/confirmer');
    t.clock.advance(SIGNUP_LINK_TTL_MS + 1);
    expect((await complete(token)).json().code).toBe('HAVRE_ERR_TOKEN_INVALID');
    await signup('later@example.org');
    t.clock.advance(SIGNUP_LINK_TTL_MS + 1);
    expect(await purgeExpiredSignups(t.services)).toBe(1);
    expect(await t.services.db.kysely.selectFrom('pending_signups').selectAll().execute()).toEqual([]);
  });

  it('sends at most 5 sign-up e-mails per address and hour, and still answers 202', async () => {
    for (let i = 0; i < SIGNUP_MAILS_PER_ADDRESS_PER_HOUR + 2; i++) {
      expect((await signup('flood@example.org')).statusCode).toBe(202);
    }
    const rows = await t.services.db.kysely
      .selectFrom('outbox')
      .select('id')
      .where('recipient', '=', 'flood@example.org')
      .execute();
    expect(rows.length).toBe(SIGNUP_MAILS_PER_ADDRESS_PER_HOUR);
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

  it('throttles login after 5 failures on one account from one IP, even with the right password', async () => {
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
    expect(res.json()).toMatchObject({ code: 'HAVRE_ERR_LOGIN_THROTTLED', retryAfter: 900 });
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

  it('verifies the e-mail address of an account made without the sign-up link (CLI) by e-mail', async () => {
    const user = await userWith(t, { email: 'verify@example.org' });
    const resend = await t.app.inject({
      method: 'POST',
      url: '/api/auth/verify-email/resend',
      headers: user.auth,
    });
    expect(resend.statusCode).toBe(202);
    const token = await linkToken('verify@example.org', '/compte/verifier');
    const ok = await t.app.inject({ method: 'POST', url: '/api/auth/verify-email', payload: { token } });
    expect(ok.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/me', headers: user.auth })).json().emailVerified).toBe(true);
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
    expect(exported.headers['content-disposition']).toBe('attachment; filename="havre-mes-donnees.json"');
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

  it('names the data download in the account’s language (havre-my-data.json in English)', async () => {
    const user = await userWith(t);
    await t.app.inject({ method: 'PATCH', url: '/api/me', headers: user.auth, payload: { locale: 'en' } });
    const exported = await t.app.inject({ url: '/api/me/export', headers: user.auth });
    expect(exported.headers['content-disposition']).toBe('attachment; filename="havre-my-data.json"');
  });

  it('never writes passwords, tokens or e-mail addresses to the logs', async () => {
    await signup('private@example.org');
    const res = await complete(await linkToken('private@example.org', '/inscription/confirmer'));
    const token = res.cookies.find((c) => c.name === 'havre_session')!.value;
    await t.app.inject({ url: '/api/me', headers: { authorization: `Bearer ${token}` } });
    const all = t.logs.lines.join('\n');
    expect(t.logs.lines.length).toBeGreaterThan(0);
    expect(all).not.toContain('private@example.org');
    expect(all).not.toContain(TEST_PASSWORD);
    expect(all).not.toContain(token);
  });
});
