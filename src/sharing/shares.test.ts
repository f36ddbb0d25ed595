import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import {
  addDevice,
  befriend,
  inMinutes,
  POSITION,
  seal,
  startShare,
  type User,
  wrapFor,
} from '../../test/helpers/sharing.ts';
import { decryptPosition, generateSessionKey, unwrapSessionKey } from '../shared/envelope.ts';
import { endExpiredSessions, purgeEndedTrails } from './lifecycle.ts';
import { storedTrail } from './trail-store.ts';

const HOUR = 3_600_000;

describe.each(backends())('share sessions on %s', (backend) => {
  let t: TestApp;
  let alice: User;
  let bob: User;
  beforeEach(async () => {
    t = await makeTestApp(backend);
    alice = await userWith(t, { email: 'alice@example.org' });
    bob = await userWith(t, { email: 'bob@example.org' });
    await befriend(t, alice, bob);
  });
  afterEach(async () => {
    await t.close();
  });

  const get = (id: string, headers: Record<string, string>) =>
    t.app.inject({ url: `/api/shares/${id}`, headers });
  const post = (url: string, headers: Record<string, string>, payload?: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url, headers, ...(payload === undefined ? {} : { payload }) });

  it('starts a trip for a contact’s device; the contact unwraps the key and reads positions', async () => {
    const phone = await addDevice(t, bob);
    const share = await startShare(t, alice, [phone], { expectedArrival: inMinutes(t, 30) });
    expect(share.view).toMatchObject({ audience: 'owner', mode: 'trip', status: 'active', access: 'owner' });
    expect(share.view.checkin).toMatchObject({ state: 'pending' });

    const c = await seal(share, 0);
    const stored = await post(`/api/shares/${share.id}/positions`, alice.auth, {
      positions: [{ seq: 0, c }],
    });
    expect(stored.json()).toEqual({ acked: [0] });

    const view = (await get(share.id, bob.auth)).json();
    expect(view).toMatchObject({
      audience: 'contact',
      access: 'live',
      owner: { email: 'alice@example.org' },
    });
    expect(view.recipients).toBeUndefined();
    const key = await unwrapSessionKey(view.wrappedKeys[0].wrappedKey, phone.pair);
    const trail = (
      await t.app.inject({ url: `/api/shares/${share.id}/positions`, headers: bob.auth })
    ).json();
    expect(trail.positions).toHaveLength(1);
    expect(await decryptPosition(key, share.id, 0, trail.positions[0].c)).toEqual(POSITION);
  });

  it('stores a resent position once (idempotent by seq)', async () => {
    const share = await startShare(t, alice, [await addDevice(t, bob)]);
    const c = await seal(share, 3);
    await post(`/api/shares/${share.id}/positions`, alice.auth, { positions: [{ seq: 3, c }] });
    const again = await post(`/api/shares/${share.id}/positions`, alice.auth, { positions: [{ seq: 3, c }] });
    expect(again.json()).toEqual({ acked: [3] });
    expect(await storedTrail(t.services.db.kysely, [share.id])).toHaveLength(1);
    expect((await get(share.id, alice.auth)).json().lastSeq).toBe(3);
  });

  it('refuses a device that does not belong to a trusted contact with 422, and a malformed key with 400', async () => {
    const eve = await userWith(t);
    const evePhone = await addDevice(t, eve);
    const key = await generateSessionKey();
    const res = await post('/api/shares', alice.auth, {
      mode: 'trip',
      visibility: 'live',
      recipients: await wrapFor(key, [evePhone]),
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('HAVRE_ERR_INVALID_RECIPIENT');
    const phone = await addDevice(t, bob);
    const bad = await post('/api/shares', alice.auth, {
      mode: 'trip',
      visibility: 'live',
      recipients: [{ deviceId: phone.id, wrappedKey: 'B'.repeat(142) }],
    });
    expect(bad.statusCode).toBe(400);
  });

  it('refuses check-in mode without a time, and a time in the past, with 400', async () => {
    const noTime = await post('/api/shares', alice.auth, {
      mode: 'trip',
      visibility: 'checkin',
      recipients: [],
    });
    expect(noTime.statusCode).toBe(400);
    expect(noTime.json().detail).toMatch(/check-in/);
    const past = await post('/api/shares', alice.auth, {
      mode: 'trip',
      visibility: 'live',
      recipients: [],
      expectedArrival: inMinutes(t, -5),
    });
    expect(past.statusCode).toBe(400);
  });

  it('hides a session from strangers (404) and from contacts who were not chosen', async () => {
    const carol = await userWith(t);
    await befriend(t, alice, carol);
    const share = await startShare(t, alice, [await addDevice(t, bob)]);
    expect((await get(share.id, carol.auth)).statusCode).toBe(404);
    expect((await get(share.id, {})).statusCode).toBe(404);
    const eve = await userWith(t);
    expect((await get(share.id, eve.auth)).statusCode).toBe(404);
    const positions = await post(`/api/shares/${share.id}/positions`, eve.auth, {
      positions: [{ seq: 0, c: await seal(share, 0) }],
    });
    expect(positions.statusCode).toBe(404);
  });

  it('gives nothing to watchers in check-in mode until an alert', async () => {
    const share = await startShare(t, alice, [await addDevice(t, bob)], {
      visibility: 'checkin',
      expectedArrival: inMinutes(t, 20),
    });
    await post(`/api/shares/${share.id}/positions`, alice.auth, {
      positions: [{ seq: 0, c: await seal(share, 0) }],
    });
    const res = await t.app.inject({ url: `/api/shares/${share.id}/positions`, headers: bob.auth });
    expect(res.json()).toEqual({ access: 'waiting', positions: [] });
    expect((await get(share.id, bob.auth)).json().access).toBe('waiting');
  });

  it('adds keys for a contact’s new device to a running session', async () => {
    const phone = await addDevice(t, bob);
    const share = await startShare(t, alice, [phone]);
    const laptop = await addDevice(t, bob, 'Ordinateur');
    const res = await post(`/api/shares/${share.id}/keys`, alice.auth, {
      recipients: await wrapFor(share.key, [laptop]),
    });
    expect(res.statusCode).toBe(204);
    const view = (await get(share.id, bob.auth)).json();
    expect(view.wrappedKeys.map((k: { deviceId: string }) => k.deviceId).sort()).toEqual(
      [phone.id, laptop.id].sort(),
    );
    const byBob = await post(`/api/shares/${share.id}/keys`, bob.auth, { recipients: [] });
    expect(byBob.statusCode).toBe(404);
  });

  it('ends on "I have arrived", tells the contacts, and then answers 410 to them', async () => {
    const share = await startShare(t, alice, [await addDevice(t, bob)]);
    const res = await post(`/api/shares/${share.id}/arrived`, alice.auth);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ended' });
    const gone = await get(share.id, bob.auth);
    expect(gone.statusCode).toBe(410);
    // A reload still says she arrived (as the relay's `ended` frame did), and whose trip it was.
    expect(gone.json()).toMatchObject({
      code: 'HAVRE_ERR_SHARE_ENDED',
      endReason: 'arrived',
      owner: { email: 'alice@example.org' },
    });
    expect((await post(`/api/shares/${share.id}/arrived`, alice.auth)).statusCode).toBe(410);
    t.services.outbox.kick();
    await expect.poll(() => t.mail.sent.map((m) => m.to)).toContain('bob@example.org');
    const mail = t.mail.sent.find((m) => m.to === 'bob@example.org')!;
    expect(mail.subject).toContain('alice@example.org');
    expect(mail.text).toContain(`/suivre/${share.id}`);
  });

  it('makes a guest link without the key, readable with the header, and revocable', async () => {
    const share = await startShare(t, alice, []);
    const made = await post(`/api/shares/${share.id}/guest-links`, alice.auth, {
      expiresAt: inMinutes(t, 60),
    });
    expect(made.statusCode).toBe(201);
    const { id: linkId, token, url } = made.json();
    expect(url).toBe(`http://localhost:8080/suivre/${share.id}#g=${token}`);
    const asGuest = await get(share.id, { 'x-havre-guest': token });
    expect(asGuest.json()).toMatchObject({ audience: 'guest', access: 'live' });
    expect(asGuest.json().owner).toBeUndefined();
    expect(asGuest.json().guestLinks).toBeUndefined();
    const revoke = await t.app.inject({
      method: 'DELETE',
      url: `/api/shares/${share.id}/guest-links/${linkId}`,
      headers: alice.auth,
    });
    expect(revoke.statusCode).toBe(204);
    expect((await get(share.id, { 'x-havre-guest': token })).statusCode).toBe(404);
  });

  it('lets a guest link expire', async () => {
    const share = await startShare(t, alice, []);
    const { token } = (
      await post(`/api/shares/${share.id}/guest-links`, alice.auth, { expiresAt: inMinutes(t, 10) })
    ).json();
    t.clock.advance(11 * 60_000);
    expect((await get(share.id, { 'x-havre-guest': token })).statusCode).toBe(404);
  });

  it('lists my sessions and those I follow', async () => {
    const share = await startShare(t, alice, [await addDevice(t, bob)]);
    const mine = (await t.app.inject({ url: '/api/shares', headers: alice.auth })).json();
    expect(mine.mine.map((s: { id: string }) => s.id)).toEqual([share.id]);
    const bobs = (await t.app.inject({ url: '/api/shares', headers: bob.auth })).json();
    expect(bobs.following.map((s: { id: string }) => s.id)).toEqual([share.id]);
    expect(bobs.mine).toEqual([]);
  });

  it('cuts a removed contact off at once: no view, no keys, no positions', async () => {
    const relationship = (await t.app.inject({ url: '/api/contacts', headers: bob.auth })).json().following[0]
      .id;
    const share = await startShare(t, alice, [await addDevice(t, bob)]);
    await t.app.inject({ method: 'DELETE', url: `/api/contacts/${relationship}`, headers: alice.auth });
    expect((await get(share.id, bob.auth)).statusCode).toBe(404);
    expect(
      (await t.app.inject({ url: `/api/shares/${share.id}/positions`, headers: bob.auth })).statusCode,
    ).toBe(404);
    expect(await t.services.db.kysely.selectFrom('share_recipients').selectAll().execute()).toEqual([]);
  });

  it('exports sessions without position or destination, and erases them with the account', async () => {
    const share = await startShare(t, alice, [await addDevice(t, bob)], { meta: 'AQ'.repeat(40) });
    await post(`/api/shares/${share.id}/positions`, alice.auth, {
      positions: [{ seq: 0, c: await seal(share, 0) }],
    });
    const exported = (await t.app.inject({ url: '/api/me/export', headers: alice.auth })).json();
    expect(exported.shareSessions.sessions).toHaveLength(1);
    expect(Object.keys(exported.shareSessions.sessions[0])).not.toContain('meta');
    const erase = await t.app.inject({
      method: 'DELETE',
      url: '/api/me',
      headers: alice.auth,
      payload: { password: 'correct-horse-battery' },
    });
    expect(erase.statusCode).toBe(204);
    const k = t.services.db.kysely;
    for (const table of [
      'share_sessions',
      'trail_points',
      'trail_log',
      'share_recipients',
      'checkin_timers',
    ] as const) {
      expect(await k.selectFrom(table).selectAll().execute()).toEqual([]);
    }
  });

  it('ends a session at its limit and deletes its trail after the retention', async () => {
    const share = await startShare(t, alice, [await addDevice(t, bob)], {
      expectedArrival: inMinutes(t, 30),
    });
    await post(`/api/shares/${share.id}/positions`, alice.auth, {
      positions: [{ seq: 0, c: await seal(share, 0) }],
    });
    t.clock.advance(6 * HOUR);
    expect(await endExpiredSessions(t.services)).toEqual([]);
    t.clock.advance(HOUR);
    expect(await endExpiredSessions(t.services)).toEqual([share.id]);
    expect((await get(share.id, alice.auth)).json()).toMatchObject({ status: 'ended' });
    t.clock.advance(23 * HOUR);
    expect(await purgeEndedTrails(t.services)).toBe(0);
    t.clock.advance(HOUR + 1);
    expect(await purgeEndedTrails(t.services)).toBe(1);
    expect(await storedTrail(t.services.db.kysely, [share.id])).toEqual([]);
    expect(await t.services.db.kysely.selectFrom('share_recipients').selectAll().execute()).toEqual([]);
  });
});
