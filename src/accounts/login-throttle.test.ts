/**
 * Sign-in throttling (throttle.ts, device-cookie.ts). QA walk: 5 wrong passwords from anywhere
 * blocked the account for 15 minutes, so anyone who knew a person's address could keep her out,
 * a password reset did not lift it, and the page said "a few minutes" whatever the wait.
 * Runs with the in-memory counters and, when HAVRE_TEST_REDIS_URL is set, with Redis.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, TEST_PASSWORD, type TestApp, userWith } from '../../test/helpers/app.ts';
import { REDIS_URL } from '../../test/helpers/backends.ts';
import { DEVICE_COOKIE } from './device-cookie.ts';
import { ACCOUNT_CEILING, MAX_FAILURES_PER_ACCOUNT_AND_IP, MAX_FAILURES_PER_IP } from './throttle.ts';

const counters = REDIS_URL ? (['memory', 'redis'] as const) : (['memory'] as const);

/** A documentation address (RFC 3849) of its own per call. */
const freshIp = () => `2001:db8::${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}`;

describe.each(counters)('sign-in throttling with %s counters', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp('sqlite', kind === 'redis' ? { env: { HAVRE_REDIS_URL: REDIS_URL! } } : {});
  });
  afterEach(async () => {
    await t.close();
  });

  const login = (email: string, password: string, ip: string, cookies: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password },
      remoteAddress: ip,
      cookies,
    });

  async function failFrom(email: string, ip: string, times = MAX_FAILURES_PER_ACCOUNT_AND_IP) {
    for (let i = 0; i < times; i++) expect((await login(email, 'wrong-guess-123', ip)).statusCode).toBe(401);
  }

  function expectWait(res: Awaited<ReturnType<typeof login>>, seconds: number) {
    expect(res.statusCode).toBe(429);
    expect(res.json()).toMatchObject({ code: 'HAVRE_ERR_LOGIN_THROTTLED', retryAfter: seconds });
    expect(res.headers['retry-after']).toBe(String(seconds));
  }

  it('does not block the owner from her IP when someone fails 5 times from theirs; they are blocked', async () => {
    const owner = await userWith(t);
    const attacker = freshIp();
    await failFrom(owner.email, attacker);
    expect((await login(owner.email, TEST_PASSWORD, freshIp())).statusCode).toBe(200);
    expectWait(await login(owner.email, TEST_PASSWORD, attacker), 15 * 60);
    // The owner's success does not lift the attacker's block.
    expectWait(await login(owner.email, 'another-guess-1', attacker), 15 * 60);
  });

  it('blocks the owner’s own IP after 5 failures, says the real wait, and lets her in once it is over', async () => {
    const owner = await userWith(t);
    const home = freshIp();
    await failFrom(owner.email, home);
    // The test clock starts at 21:00:00, the start of a 15-minute window.
    expectWait(await login(owner.email, TEST_PASSWORD, home), 900);
    t.clock.advance(10 * 60_000 + 500);
    expectWait(await login(owner.email, TEST_PASSWORD, home), 300);
    t.clock.advance(5 * 60_000);
    expect((await login(owner.email, TEST_PASSWORD, home)).statusCode).toBe(200);
  });

  it('lifts every block of the account when a password reset succeeds: the new password works at once', async () => {
    const owner = await userWith(t);
    const home = freshIp();
    const attacker = freshIp();
    await failFrom(owner.email, home);
    await failFrom(owner.email, attacker);
    expectWait(await login(owner.email, TEST_PASSWORD, home), 900);
    await t.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email: owner.email } });
    await expect.poll(() => t.mail.sent.some((m) => m.to === owner.email)).toBe(true);
    const token = t.mail.sent.find((m) => m.to === owner.email)!.text.match(/#([\w-]+)/)![1];
    const reset = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/confirm',
      payload: { token, password: 'a-brand-new-sentence' },
      remoteAddress: home,
    });
    expect(reset.statusCode).toBe(204);
    expect((await login(owner.email, 'a-brand-new-sentence', home)).statusCode).toBe(200);
    expect((await login(owner.email, 'a-brand-new-sentence', attacker)).statusCode).toBe(200);
  });

  it('slows an account guessed from many IPs to one attempt a minute, except in a browser it signed in from', async () => {
    const owner = await userWith(t);
    const ownPhone = await login(owner.email, TEST_PASSWORD, '198.51.100.30');
    const device = ownPhone.cookies.find((c) => c.name === DEVICE_COOKIE)!;
    expect(device).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/auth/login' });
    // 100 failures, 5 from each of 20 IPs: no IP is blocked, the account reaches its ceiling.
    for (let i = 0; i < ACCOUNT_CEILING / MAX_FAILURES_PER_ACCOUNT_AND_IP; i++) {
      await failFrom(owner.email, freshIp());
    }
    // A new browser: the first attempt of the minute goes through, the next waits for the next minute.
    expect((await login(owner.email, 'wrong-guess-456', freshIp())).statusCode).toBe(401);
    expectWait(await login(owner.email, TEST_PASSWORD, freshIp()), 60);
    // Her phone, even from a new network, is not slowed.
    const fromPhone = await login(owner.email, TEST_PASSWORD, freshIp(), { [DEVICE_COOKIE]: device.value });
    expect(fromPhone.statusCode).toBe(200);
    // A cookie made for another account does not help.
    const other = await userWith(t);
    const otherDevice = (await login(other.email, TEST_PASSWORD, freshIp())).cookies.find(
      (c) => c.name === DEVICE_COOKIE,
    )!;
    expectWait(
      await login(owner.email, TEST_PASSWORD, freshIp(), { [DEVICE_COOKIE]: otherDevice.value }),
      60,
    );
    // Slowed, not locked: a minute later the owner gets in from a new browser.
    t.clock.advance(60_000);
    expect((await login(owner.email, TEST_PASSWORD, freshIp())).statusCode).toBe(200);
  });

  it('still blocks one IP after 50 failures on any accounts', async () => {
    const ip = freshIp();
    for (let i = 0; i < MAX_FAILURES_PER_IP; i++) {
      expect((await login(`nobody-${i}@example.org`, 'wrong-guess-123', ip)).statusCode).toBe(401);
    }
    const owner = await userWith(t);
    expectWait(await login(owner.email, TEST_PASSWORD, ip), 900);
  });
});
