import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import { addDevice, befriend } from '../../test/helpers/sharing.ts';
import { exportPublicKey, generateDeviceKeyPair } from '../shared/envelope.ts';

describe.each(backends())('trusted contacts and devices on %s', (backend) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(backend);
  });
  afterEach(async () => {
    await t.close();
  });

  const invite = (auth: { authorization: string }) =>
    t.app.inject({ method: 'POST', url: '/api/contacts/invites', headers: auth });
  const accept = (auth: { authorization: string }, token: string) =>
    t.app.inject({ method: 'POST', url: '/api/contacts/invites/accept', headers: auth, payload: { token } });

  it('makes a one-time link with the token in the fragment, and lists both sides after acceptance', async () => {
    const alice = await userWith(t, { email: 'alice@example.org' });
    const bob = await userWith(t, { email: 'bob@example.org' });
    const res = await invite(alice.auth);
    expect(res.statusCode).toBe(201);
    const { token, url } = res.json();
    expect(url).toBe(`http://localhost:8080/contacts/accepter#${token}`);
    const accepted = await accept(bob.auth, token);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().email).toBe('alice@example.org');

    const aliceView = (await t.app.inject({ url: '/api/contacts', headers: alice.auth })).json();
    const bobView = (await t.app.inject({ url: '/api/contacts', headers: bob.auth })).json();
    expect(aliceView.followers.map((p: { email: string }) => p.email)).toEqual(['bob@example.org']);
    expect(aliceView.following).toEqual([]);
    expect(bobView.following.map((p: { email: string }) => p.email)).toEqual(['alice@example.org']);
    expect(Object.keys(bobView.following[0]).sort()).toEqual(['email', 'id', 'since']);
  });

  it('refuses a used link, an expired link and one’s own link with 400', async () => {
    const alice = await userWith(t);
    const bob = await userWith(t);
    const carol = await userWith(t);
    const { token } = (await invite(alice.auth)).json();
    expect((await accept(alice.auth, token)).json().code).toBe('HAVRE_ERR_SELF_CONTACT');
    expect((await accept(bob.auth, token)).statusCode).toBe(200);
    const again = await accept(carol.auth, token);
    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe('HAVRE_ERR_TOKEN_INVALID');

    const late = (await invite(alice.auth)).json().token;
    t.clock.advance(8 * 24 * 3_600_000);
    expect((await accept(carol.auth, late)).json().code).toBe('HAVRE_ERR_TOKEN_INVALID');
  });

  it('tells a signed-in holder of a valid link whose it is, without using it; nothing for a used one', async () => {
    const alice = await userWith(t, { email: 'alice@example.org' });
    const bob = await userWith(t, { email: 'bob@example.org' });
    const carol = await userWith(t, { email: 'carol@example.org' });
    const preview = (auth: { authorization: string }, token: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/contacts/invites/preview',
        headers: auth,
        payload: { token },
      });
    const { token } = (await invite(alice.auth)).json();
    const seen = await preview(bob.auth, token);
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toEqual({ email: 'alice@example.org' });
    expect((await preview(alice.auth, token)).json().code).toBe('HAVRE_ERR_SELF_CONTACT');
    const unauthenticated = await t.app.inject({
      method: 'POST',
      url: '/api/contacts/invites/preview',
      payload: { token },
    });
    expect(unauthenticated.statusCode).toBe(401);
    expect((await accept(bob.auth, token)).statusCode).toBe(200); // still usable after the preview
    const used = await preview(carol.auth, token);
    expect(used.statusCode).toBe(400);
    expect(used.json().code).toBe('HAVRE_ERR_TOKEN_INVALID');
    expect(used.body).not.toContain('alice');
    const unknown = await preview(carol.auth, 'x'.repeat(43));
    expect(unknown.json().code).toBe('HAVRE_ERR_TOKEN_INVALID');
    const late = (await invite(alice.auth)).json().token;
    t.clock.advance(8 * 24 * 3_600_000);
    expect((await preview(carol.auth, late)).json().code).toBe('HAVRE_ERR_TOKEN_INVALID');
  });

  it('requires sign-in to invite or accept', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/api/contacts/invites' })).statusCode).toBe(401);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/contacts/invites/accept',
      payload: { token: 'x'.repeat(43) },
    });
    expect(res.statusCode).toBe(401);
  });

  it('lets either side end the relationship, and a stranger cannot', async () => {
    const alice = await userWith(t);
    const bob = await userWith(t);
    const eve = await userWith(t);
    const first = await befriend(t, alice, bob);
    const byEve = await t.app.inject({ method: 'DELETE', url: `/api/contacts/${first}`, headers: eve.auth });
    expect(byEve.statusCode).toBe(404);
    const byBob = await t.app.inject({ method: 'DELETE', url: `/api/contacts/${first}`, headers: bob.auth });
    expect(byBob.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/contacts', headers: alice.auth })).json().followers).toEqual([]);

    const second = await befriend(t, alice, bob);
    const byAlice = await t.app.inject({
      method: 'DELETE',
      url: `/api/contacts/${second}`,
      headers: alice.auth,
    });
    expect(byAlice.statusCode).toBe(204);
    const twice = await t.app.inject({
      method: 'DELETE',
      url: `/api/contacts/${second}`,
      headers: alice.auth,
    });
    expect(twice.statusCode).toBe(404);
  });

  it('registers a device key in canonical raw form (raw or JWK in), once per key', async () => {
    const alice = await userWith(t);
    const pair = await generateDeviceKeyPair();
    const raw = await exportPublicKey(pair.publicKey, 'raw');
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/devices',
      headers: alice.auth,
      payload: { publicKey: await exportPublicKey(pair.publicKey, 'jwk'), label: 'Téléphone' },
    });
    expect(first.statusCode).toBe(201);
    expect(first.json().publicKey).toBe(raw);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/devices',
      headers: alice.auth,
      payload: { publicKey: raw, label: 'Mon téléphone' },
    });
    expect(again.json().id).toBe(first.json().id);
    const list = (await t.app.inject({ url: '/api/devices', headers: alice.auth })).json().devices;
    expect(list).toHaveLength(1);
    expect(list[0].label).toBe('Mon téléphone');
  });

  it('refuses a public key that is not a P-256 point with 400', async () => {
    const alice = await userWith(t);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/devices',
      headers: alice.auth,
      payload: { publicKey: `B${'A'.repeat(86)}`, label: 'x' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('HAVRE_ERR_INVALID_PUBLIC_KEY');
  });

  it("gives a contact's device keys to the person who shares only, and drops revoked devices", async () => {
    const alice = await userWith(t);
    const bob = await userWith(t);
    const relationship = await befriend(t, alice, bob);
    const phone = await addDevice(t, bob, 'Téléphone');
    const laptop = await addDevice(t, bob, 'Ordinateur');
    const forAlice = await t.app.inject({
      url: `/api/contacts/${relationship}/devices`,
      headers: alice.auth,
    });
    expect(forAlice.statusCode).toBe(200);
    expect(
      forAlice
        .json()
        .devices.map((d: { id: string }) => d.id)
        .sort(),
    ).toEqual([phone.id, laptop.id].sort());
    expect(Object.keys(forAlice.json().devices[0]).sort()).toEqual(['contactId', 'id', 'publicKey']);
    // Bob follows Alice; he does not wrap keys for her.
    expect(
      (await t.app.inject({ url: `/api/contacts/${relationship}/devices`, headers: bob.auth })).statusCode,
    ).toBe(404);
    const revoke = await t.app.inject({
      method: 'DELETE',
      url: `/api/devices/${laptop.id}`,
      headers: bob.auth,
    });
    expect(revoke.statusCode).toBe(204);
    const all = (await t.app.inject({ url: '/api/contacts/devices', headers: alice.auth })).json().devices;
    expect(all.map((d: { id: string }) => d.id)).toEqual([phone.id]);
  });

  it('cannot revoke somebody else’s device', async () => {
    const alice = await userWith(t);
    const bob = await userWith(t);
    const phone = await addDevice(t, bob);
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/api/devices/${phone.id}`,
      headers: alice.auth,
    });
    expect(res.statusCode).toBe(404);
  });

  it('exports devices and contacts, and erases them with the account', async () => {
    const alice = await userWith(t, { email: 'alice@example.org' });
    const bob = await userWith(t, { email: 'bob@example.org' });
    await befriend(t, alice, bob);
    await addDevice(t, bob);
    const exported = (await t.app.inject({ url: '/api/me/export', headers: bob.auth })).json();
    expect(exported.sharingDevices).toHaveLength(1);
    expect(exported.trustedContacts.relationships[0]).toMatchObject({
      direction: 'I follow',
      other: 'alice@example.org',
    });
    const erase = await t.app.inject({
      method: 'DELETE',
      url: '/api/me',
      headers: bob.auth,
      payload: { password: 'correct-horse-battery' },
    });
    expect(erase.statusCode).toBe(204);
    const k = t.services.db.kysely;
    expect(await k.selectFrom('devices').selectAll().execute()).toEqual([]);
    expect(await k.selectFrom('contacts').selectAll().execute()).toEqual([]);
  });
});
