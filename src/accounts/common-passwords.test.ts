/**
 * The most common passwords are refused where a password is chosen (common-passwords.ts).
 * QA walk: "password123" was accepted at sign-up, its only rule being 10 characters.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, TEST_PASSWORD, type TestApp, userWith } from '../../test/helpers/app.ts';
import { isCommonPassword } from './common-passwords.ts';

describe('the list of common passwords', () => {
  it('knows the common ones of an accepted length, whatever their case or surrounding spaces', async () => {
    for (const password of [
      'password123',
      'Password123',
      ' qwertyuiop ',
      'azertyuiop',
      '1234567890',
      'motdepasse',
    ])
      expect(await isCommonPassword(password), password).toBe(true);
  });

  it('lets a sentence or a password of its own through', async () => {
    for (const password of [TEST_PASSWORD, 'la lune sur le canal', 'Tr0mbone-Gaufre-Nuit'])
      expect(await isCommonPassword(password), password).toBe(false);
  });
});

describe('choosing a common password', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp('sqlite');
  });
  afterEach(async () => {
    await t.close();
  });

  it('refuses it at sign-up with 400 HAVRE_ERR_PASSWORD_TOO_COMMON, and sends no e-mail', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { email: 'weak@example.org', password: 'password123' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 400, code: 'HAVRE_ERR_PASSWORD_TOO_COMMON' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(t.mail.sent).toEqual([]);
  });

  it('refuses it at password reset without spending the link, which then takes a good one', async () => {
    const user = await userWith(t);
    await t.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email: user.email } });
    await expect.poll(() => t.mail.sent.length).toBe(1);
    const token = t.mail.sent[0].text.match(/#([\w-]+)/)![1];
    const confirm = (password: string) =>
      t.app.inject({ method: 'POST', url: '/api/auth/password-reset/confirm', payload: { token, password } });
    const weak = await confirm('Azertyuiop');
    expect(weak.statusCode).toBe(400);
    expect(weak.json().code).toBe('HAVRE_ERR_PASSWORD_TOO_COMMON');
    // Nothing changed: the old password still works, the session too.
    expect((await t.app.inject({ url: '/api/me', headers: user.auth })).statusCode).toBe(200);
    expect((await confirm('la lune sur le canal')).statusCode).toBe(204);
  });
});
