/**
 * Password reset (password-reset.ts). QA walk: an older reset link still set the password after
 * a newer one had; nobody was told that the password changed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, TEST_PASSWORD, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';

describe.each(backends())('password reset on %s', (backend) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(backend);
  });
  afterEach(async () => {
    await t.close();
  });

  const mailsTo = (email: string) => t.mail.sent.filter((m) => m.to === email);

  /** Asks for a reset link and returns its token. */
  async function askReset(email: string): Promise<string> {
    const before = mailsTo(email).length;
    await t.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email } });
    await expect.poll(() => mailsTo(email).length).toBe(before + 1);
    return mailsTo(email)
      .at(-1)!
      .text.match(/nouveau-mot-de-passe#([\w-]+)/)![1];
  }
  const confirm = (token: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/password-reset/confirm', payload: { token, password } });
  const login = (email: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });

  it('refuses an older reset link once a newer one has set the password (400), and signs out every session', async () => {
    const user = await userWith(t);
    const second = await userWith(t, { email: `other-${user.email}` });
    const older = await askReset(user.email);
    const newer = await askReset(user.email);
    const unrelated = await askReset(second.email);
    expect((await confirm(newer, 'the-newer-sentence')).statusCode).toBe(204);
    const late = await confirm(older, 'the-older-sentence');
    expect(late.statusCode).toBe(400);
    expect(late.json().code).toBe('HAVRE_ERR_TOKEN_INVALID');
    expect((await login(user.email, 'the-older-sentence')).statusCode).toBe(401);
    expect((await login(user.email, 'the-newer-sentence')).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/me', headers: user.auth })).statusCode).toBe(401);
    // Someone else's link is untouched.
    expect((await confirm(unrelated, 'her-own-new-sentence')).statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/me', headers: second.auth })).statusCode).toBe(401);
  });

  it('tells the owner by e-mail, in her language, that the password changed and what to do if it was not her', async () => {
    const fr = await userWith(t);
    const en = await userWith(t);
    await t.app.inject({ method: 'PATCH', url: '/api/me', headers: en.auth, payload: { locale: 'en' } });
    expect((await confirm(await askReset(fr.email), 'une-phrase-toute-neuve')).statusCode).toBe(204);
    expect((await confirm(await askReset(en.email), 'a-brand-new-sentence')).statusCode).toBe(204);
    await expect.poll(() => mailsTo(fr.email).length + mailsTo(en.email).length).toBe(4);
    const french = mailsTo(fr.email).at(-1)!;
    expect(french.subject).toBe('Havre : votre mot de passe a été modifié');
    expect(french.text).toContain("Si ce n'était pas vous");
    expect(french.text).toContain('http://localhost:8080/compte/mot-de-passe-oublie');
    const english = mailsTo(en.email).at(-1)!;
    expect(english.subject).toBe('Havre: your password was changed');
    expect(english.text).toContain('If it was not you');
    for (const mail of [french, english]) expect(mail.text).not.toMatch(/#[\w-]{20,}/); // no usable link
  });

  it('sends nothing and changes nothing for a used link', async () => {
    const user = await userWith(t);
    const token = await askReset(user.email);
    expect((await confirm(token, 'the-first-sentence')).statusCode).toBe(204);
    await expect.poll(() => mailsTo(user.email).length).toBe(2);
    expect((await confirm(token, 'the-second-sentence')).json().code).toBe('HAVRE_ERR_TOKEN_INVALID');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(mailsTo(user.email).length).toBe(2);
    expect((await login(user.email, TEST_PASSWORD)).statusCode).toBe(401);
    expect((await login(user.email, 'the-first-sentence')).statusCode).toBe(200);
  });
});
