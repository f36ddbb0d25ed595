/**
 * Stalker case: an ex-partner must not learn from the API whether an e-mail address has an
 * account. Login, password reset and sign-up answer the same for a known and an unknown
 * address; what differs goes to the address's own mailbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, userWith } from '../helpers/app.ts';

describe('account enumeration', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp('sqlite');
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, payload });

  it('answers a wrong password and an unknown address to login identically', async () => {
    const user = await userWith(t);
    const known = await post('/api/auth/login', { email: user.email, password: 'wrong-password-123' });
    const unknown = await post('/api/auth/login', {
      email: 'nobody@test.example',
      password: 'wrong-password-123',
    });
    expect(known.statusCode).toBe(unknown.statusCode);
    expect(known.json()).toEqual(unknown.json());
  });

  it('answers a password reset for a known and an unknown address identically (202)', async () => {
    const user = await userWith(t);
    const known = await post('/api/auth/password-reset', { email: user.email });
    const unknown = await post('/api/auth/password-reset', { email: 'nobody@test.example' });
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(known.body).toBe(unknown.body);
  });

  it('answers a sign-up for a known and an unknown address identically (202, same headers, no cookie)', async () => {
    const user = await userWith(t);
    const known = await post('/api/auth/signup', { email: user.email, password: 'some-long-password' });
    const unknown = await post('/api/auth/signup', {
      email: 'newcomer@test.example',
      password: 'some-long-password',
    });
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(known.body).toBe(unknown.body);
    const shape = (headers: Record<string, unknown>) => {
      const { date: _date, 'x-request-id': _id, ...rest } = headers;
      return { ...rest, 'x-ratelimit-remaining': undefined };
    };
    expect(shape(known.headers)).toEqual(shape(unknown.headers));
    expect(known.cookies).toEqual([]);
    expect(unknown.cookies).toEqual([]);
    // Each address gets one e-mail; only its owner can tell which kind.
    await expect.poll(() => t.mail.sent.filter((m) => m.to === user.email).length).toBe(1);
    await expect.poll(() => t.mail.sent.filter((m) => m.to === 'newcomer@test.example').length).toBe(1);
  });

  it('has no route in the API document that can answer "this address is taken"', async () => {
    const text = (await t.app.inject({ url: '/api/openapi.json' })).body;
    expect(text).not.toContain('EMAIL_TAKEN');
    expect(text).not.toMatch(/"409"[^}]*already/);
  });
});
