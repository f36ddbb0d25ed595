import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, TEST_PASSWORD, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import { SoftAuthenticator } from '../../test/helpers/passkey.ts';
import { befriend, type User } from '../../test/helpers/sharing.ts';
import { CHALLENGE_TTL_MS } from './passkeys.ts';

describe.each(backends())('passkeys confirming an SOS cancel on %s', (backend) => {
  let t: TestApp;
  let alice: User;
  let bob: User;
  let phone: SoftAuthenticator;
  beforeEach(async () => {
    t = await makeTestApp(backend);
    alice = await userWith(t, { email: 'alice@example.org' });
    bob = await userWith(t, { email: 'bob@example.org' });
    await befriend(t, alice, bob);
    await t.app.inject({
      method: 'PUT',
      url: '/api/me/phone',
      headers: bob.auth,
      payload: { phone: '+33612345678' },
    });
    phone = new SoftAuthenticator(t.services.config.publicUrl);
  });
  afterEach(async () => {
    await t.close();
  });

  const post = (who: User, url: string, payload: unknown = {}) =>
    t.app.inject({ method: 'POST', url, headers: who.auth, payload: payload as object });
  const registrationOptions = async (who: User) => {
    const res = await post(who, '/api/sos/passkeys/options');
    expect(res.statusCode).toBe(200);
    return res.json();
  };
  const register = (who: User, credential: unknown, password = TEST_PASSWORD) =>
    post(who, '/api/sos/passkeys', { credential, label: 'Mon téléphone', password });
  /** Alice registers the phone's passkey, then sends an SOS. */
  async function enrolledSos() {
    const res = await register(alice, phone.register(await registrationOptions(alice)));
    expect(res.statusCode).toBe(201);
    const sos = await post(alice, '/api/sos');
    expect(sos.statusCode).toBe(201);
    return sos.json() as { id: string; share: { id: string } };
  }
  const cancelOptions = async (sosId: string, who = alice) => post(who, `/api/sos/${sosId}/cancel/options`);
  const cancelWith = (sosId: string, passkey: unknown, who = alice) =>
    post(who, `/api/sos/${sosId}/cancel`, { passkey });

  it('registers a passkey with the password, lists it, and asks for user verification', async () => {
    const options = await registrationOptions(alice);
    expect(options.rp.id).toBe('localhost');
    expect(options.authenticatorSelection.userVerification).toBe('required');
    expect(options.excludeCredentials).toEqual([]);
    const res = await register(alice, phone.register(options));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ id: phone.id, label: 'Mon téléphone', lastUsedAt: null });
    const list = await t.app.inject({ url: '/api/sos/passkeys', headers: alice.auth });
    expect(list.json().passkeys.map((p: { id: string }) => p.id)).toEqual([phone.id]);
    // The next registration excludes it, so the same phone is not enrolled twice.
    expect((await registrationOptions(alice)).excludeCredentials.map((c: { id: string }) => c.id)).toEqual([
      phone.id,
    ]);
    const bobList = await t.app.inject({ url: '/api/sos/passkeys', headers: bob.auth });
    expect(bobList.json().passkeys).toEqual([]);
    // The same credential again (a browser would have excluded it): refused, nothing changed.
    const again = await register(alice, phone.register(await registrationOptions(alice)));
    expect(again.statusCode).toBe(409);
    expect(
      (await t.app.inject({ url: '/api/sos/passkeys', headers: alice.auth })).json().passkeys,
    ).toHaveLength(1);
  });

  it('refuses to register without the password, on a used or foreign challenge, from another origin, or unverified', async () => {
    const options = await registrationOptions(alice);
    const wrongPassword = await register(alice, phone.register(options), 'not-the-password');
    expect(wrongPassword.statusCode).toBe(401);

    // The challenge was not spent by the refused request: the password is checked first.
    const first = phone.register(options);
    expect((await register(alice, first)).statusCode).toBe(201);
    const replay = await register(alice, new SoftAuthenticator(phone.origin).register(options));
    expect(replay.statusCode).toBe(400);
    expect(replay.json().code).toBe('HAVRE_ERR_PASSKEY_INVALID');

    const bobsChallenge = await registrationOptions(bob);
    expect(
      (await register(alice, new SoftAuthenticator(phone.origin).register(bobsChallenge))).statusCode,
    ).toBe(400);
    const phishing = new SoftAuthenticator(phone.origin).register(await registrationOptions(alice), {
      origin: 'https://havre.example.net',
    });
    expect((await register(alice, phishing)).statusCode).toBe(400);
    const unverified = new SoftAuthenticator(phone.origin).register(await registrationOptions(alice), {
      verified: false,
    });
    expect((await register(alice, unverified)).statusCode).toBe(400);
    const list = await t.app.inject({ url: '/api/sos/passkeys', headers: alice.auth });
    expect(list.json().passkeys).toHaveLength(1);
  });

  it('cancels an SOS with the passkey: the contacts are told, and the method is recorded', async () => {
    const { id, share } = await enrolledSos();
    const options = await cancelOptions(id);
    expect(options.statusCode).toBe(200);
    expect(options.json().userVerification).toBe('required');
    expect(options.json().allowCredentials.map((c: { id: string }) => c.id)).toEqual([phone.id]);
    const res = await cancelWith(id, phone.assert(options.json()));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ shareId: share.id, ended: true });
    const event = await t.services.db.kysely
      .selectFrom('sos_events')
      .select('cancel_method')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(event.cancel_method).toBe('passkey');
    const sms = await t.services.db.kysely
      .selectFrom('outbox')
      .select('payload')
      .where('channel', '=', 'sms')
      .execute();
    expect(sms.some((m) => JSON.parse(m.payload).text.includes('le SOS a été annulé'))).toBe(true);
    const list = await t.app.inject({ url: '/api/sos/passkeys', headers: alice.auth });
    expect(list.json().passkeys[0].lastUsedAt).not.toBeNull();
  });

  it('refuses a forged signature, a replayed or expired challenge, an unverified person, and counts them as wrong tries', async () => {
    const { id } = await enrolledSos();
    const forger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const forged = await cancelWith(id, phone.assert((await cancelOptions(id)).json(), { signWith: forger }));
    expect(forged.statusCode).toBe(401);
    expect(forged.json().code).toBe('HAVRE_ERR_INVALID_CREDENTIALS');

    const unverified = await cancelWith(
      id,
      phone.assert((await cancelOptions(id)).json(), { verified: false }),
    );
    expect(unverified.statusCode).toBe(401);

    const options = (await cancelOptions(id)).json();
    t.clock.advance(CHALLENGE_TTL_MS + 1);
    expect((await cancelWith(id, phone.assert(options))).statusCode).toBe(401);

    const elsewhere = await cancelWith(
      id,
      phone.assert((await cancelOptions(id)).json(), { origin: 'https://evil.example' }),
    );
    expect(elsewhere.statusCode).toBe(401);

    // Five wrong confirmations: even a valid one is refused for a while (the PIN's rule).
    const fifth = await cancelWith(id, phone.assert((await cancelOptions(id)).json(), { signWith: forger }));
    expect(fifth.statusCode).toBe(401);
    const throttled = await cancelWith(id, phone.assert((await cancelOptions(id)).json()));
    expect(throttled.statusCode).toBe(429);
  });

  it('spends each challenge once, even when the same signed answer is sent twice at the same time', async () => {
    const { id } = await enrolledSos();
    const answer = phone.assert((await cancelOptions(id)).json());
    const [a, b] = await Promise.all([cancelWith(id, answer), cancelWith(id, answer)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 401]);
  });

  it('never lets a passkey of someone else cancel, and keeps options and passkeys to their owner', async () => {
    const { id } = await enrolledSos();
    // Bob enrols his own phone, then tries it on Alice's SOS with her challenge and with his.
    const bobPhone = new SoftAuthenticator(phone.origin);
    expect((await register(bob, bobPhone.register(await registrationOptions(bob)))).statusCode).toBe(201);
    expect((await cancelOptions(id, bob)).statusCode).toBe(404);
    expect((await cancelWith(id, bobPhone.assert((await cancelOptions(id)).json()))).statusCode).toBe(401);
    const removeHers = await t.app.inject({
      method: 'DELETE',
      url: `/api/sos/passkeys/${phone.id}`,
      headers: bob.auth,
    });
    expect(removeHers.statusCode).toBe(404);
    expect((await cancelWith(id, phone.assert((await cancelOptions(id)).json()))).statusCode).toBe(200);
  });

  it('answers 409 for cancel options without a passkey, and forgets a removed passkey', async () => {
    const sos = (await post(alice, '/api/sos')).json();
    const none = await cancelOptions(sos.id);
    expect(none.statusCode).toBe(409);
    expect(none.json().code).toBe('HAVRE_ERR_NO_PASSKEY');
    expect((await register(alice, phone.register(await registrationOptions(alice)))).statusCode).toBe(201);
    const options = (await cancelOptions(sos.id)).json();
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/api/sos/passkeys/${phone.id}`,
      headers: alice.auth,
    });
    expect(removed.statusCode).toBe(204);
    expect((await cancelWith(sos.id, phone.assert(options))).statusCode).toBe(401);
    expect((await cancelOptions(sos.id)).statusCode).toBe(409);
  });

  it('exports her passkeys and erases them with the account', async () => {
    await enrolledSos();
    const exported = await t.app.inject({ url: '/api/me/export', headers: alice.auth });
    expect(exported.json().sosPasskeys.passkeys).toMatchObject([{ id: phone.id, label: 'Mon téléphone' }]);
    const erased = await t.app.inject({
      method: 'DELETE',
      url: '/api/me',
      headers: alice.auth,
      payload: { password: TEST_PASSWORD },
    });
    expect(erased.statusCode).toBe(204);
    expect(await t.services.db.kysely.selectFrom('sos_passkeys').selectAll().execute()).toEqual([]);
    expect(
      await t.services.db.kysely
        .selectFrom('webauthn_challenges')
        .selectAll()
        .where('user_id', '=', alice.id)
        .execute(),
    ).toEqual([]);
  });
});
