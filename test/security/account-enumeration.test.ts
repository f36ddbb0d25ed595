/**
 * Stalker case: an ex-partner must not learn from the API whether an e-mail address has an
 * account. Login and password reset answer the same for a known and an unknown address.
 * Known gap (docs/SECURITY.md): sign-up answers 409 HAVRE_ERR_EMAIL_TAKEN for a known address.
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
});
