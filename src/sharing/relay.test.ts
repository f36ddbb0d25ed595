import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, TEST_PASSWORD, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import {
  addDevice,
  befriend,
  Client,
  inMinutes,
  listen,
  POSITION,
  seal,
  startShare,
  type User,
} from '../../test/helpers/sharing.ts';
import { decryptPosition, unwrapSessionKey } from '../shared/envelope.ts';
import { fireDueTimers } from './timers.ts';
import { storedTrail } from './trail-store.ts';

const MINUTE = 60_000;

describe.each(backends())('live relay over WebSocket on %s', (backend) => {
  let t: TestApp;
  let url: string;
  let alice: User;
  let bob: User;
  let relationship: string;
  const clients: Client[] = [];
  const open = async (headers: Record<string, string> = {}) => {
    const client = await Client.open(url, headers);
    clients.push(client);
    return client;
  };
  const cookie = (user: User) => ({ cookie: `havre_session=${user.token}` });

  beforeEach(async () => {
    t = await makeTestApp(backend);
    url = await listen(t);
    alice = await userWith(t, { email: 'alice@example.org' });
    bob = await userWith(t, { email: 'bob@example.org' });
    relationship = await befriend(t, alice, bob);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.ws.terminate();
    await t.close();
  });

  it('refuses an upgrade from another Origin with 403', async () => {
    await expect(open({ origin: 'https://evil.example' })).rejects.toThrow('HTTP 403');
    const ok = await open({ origin: new URL(url.replace('ws', 'http')).origin });
    expect(ok.ws.readyState).toBe(ok.ws.OPEN);
  });

  it('drops a socket that does not authenticate within a second, with 4401', async () => {
    const idle = await open();
    const { code } = await idle.closed;
    expect(code).toBe(4401);
    expect(idle.messages).toEqual([]);
  });

  it('drops a socket whose first message is not a valid auth, with 4401', async () => {
    const early = await open();
    early.send({ type: 'join', share: '11111111-2222-4333-8444-555555555555' });
    expect((await early.closed).code).toBe(4401);
    const forged = await open();
    forged.send({ type: 'auth', token: 'not-a-session-token' });
    expect((await forged.closed).code).toBe(4401);
  });

  it('relays the sharer’s ciphertext to every live watcher, acknowledged once durable', async () => {
    const phone = await addDevice(t, bob);
    const share = await startShare(t, alice, [phone]);
    const link = (
      await t.app.inject({
        method: 'POST',
        url: `/api/shares/${share.id}/guest-links`,
        headers: alice.auth,
        payload: { expiresAt: inMinutes(t, 60) },
      })
    ).json();

    const sharer = await open();
    expect(await sharer.join(share.id, { token: alice.token })).toMatchObject({
      role: 'sharer',
      access: 'sharer',
    });
    const watcher = await open(cookie(bob)); // the session cookie authenticates the upgrade
    await watcher.type('ready');
    expect(await watcher.join(share.id)).toMatchObject({ role: 'watcher', access: 'live' });
    const guest = await open();
    expect(await guest.join(share.id, { guest: link.token })).toMatchObject({
      role: 'watcher',
      access: 'live',
    });

    const c = await seal(share, 0);
    sharer.send({ type: 'pos', share: share.id, seq: 0, c });
    const ack = await sharer.type('ack');
    expect(ack).toEqual({ type: 'ack', share: share.id, seq: 0 });
    const stored = await storedTrail(t.services.db.kysely, [share.id]);
    expect(stored.map((p) => p.seq)).toEqual([0]);

    const got = await watcher.type('pos');
    expect(got).toEqual({ type: 'pos', share: share.id, seq: 0, c });
    expect(await guest.type('pos')).toEqual(got);
    const key = await unwrapSessionKey(
      (await t.app.inject({ url: `/api/shares/${share.id}`, headers: bob.auth })).json().wrappedKeys[0]
        .wrappedKey,
      phone.pair,
    );
    expect(await decryptPosition(key, share.id, 0, got.c as string)).toEqual(POSITION);
  });

  it('refuses positions from anyone but the owner, and joins from contacts who were not chosen', async () => {
    const carol = await userWith(t);
    await befriend(t, alice, carol);
    const share = await startShare(t, alice, [await addDevice(t, bob)]);
    const watcher = await open();
    await watcher.join(share.id, { token: bob.token });
    watcher.send({ type: 'pos', share: share.id, seq: 0, c: await seal(share, 0) });
    expect(await watcher.type('error')).toMatchObject({ code: 'not_sharer' });
    const outsider = await open();
    expect(await outsider.join(share.id, { token: carol.token })).toMatchObject({
      type: 'error',
      code: 'forbidden',
    });
    expect(await storedTrail(t.services.db.kysely, [share.id])).toEqual([]);
  });

  it('in check-in mode delivers nothing until the check-in is missed, then the whole trail', async () => {
    const share = await startShare(t, alice, [await addDevice(t, bob)], {
      visibility: 'checkin',
      expectedArrival: inMinutes(t, 30),
    });
    const sharer = await open();
    await sharer.join(share.id, { token: alice.token });
    const watcher = await open();
    expect(await watcher.join(share.id, { token: bob.token })).toMatchObject({ access: 'waiting' });
    for (const seq of [0, 1]) sharer.send({ type: 'pos', share: share.id, seq, c: await seal(share, seq) });
    await sharer.type('ack', { seq: 1 });
    watcher.send({ type: 'ping' });
    await watcher.type('pong');
    expect(watcher.messages.filter((m) => m.type === 'pos')).toEqual([]);
    watcher.send({ type: 'since', share: share.id, seq: -1 });
    expect(await watcher.type('error')).toMatchObject({ code: 'waiting' });

    t.clock.advance(30 * MINUTE);
    await fireDueTimers(t.services);
    expect(await sharer.type('question')).toMatchObject({ share: share.id, reason: 'overdue' });
    t.clock.advance(5 * MINUTE);
    await fireDueTimers(t.services);
    expect(await watcher.type('status')).toMatchObject({ status: 'alerted', access: 'live' });
    await watcher.type('pos', { seq: 1 });
    expect(watcher.messages.filter((m) => m.type === 'pos').map((m) => m.seq)).toEqual([0, 1]);

    sharer.send({ type: 'pos', share: share.id, seq: 2, c: await seal(share, 2) });
    expect(await watcher.type('pos', { seq: 2 })).toMatchObject({ share: share.id });
  });

  it('tells the sharer’s screens each answer, and the watchers a new expected arrival at once', async () => {
    const share = await startShare(t, alice, [await addDevice(t, bob)], {
      visibility: 'checkin',
      expectedArrival: inMinutes(t, 30),
    });
    const sharer = await open();
    await sharer.join(share.id, { token: alice.token });
    const watcher = await open();
    await watcher.join(share.id, { token: bob.token });
    const answer = (path: string, payload: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: `/api/shares/${share.id}/${path}`, headers: alice.auth, payload });

    t.clock.advance(30 * MINUTE);
    await fireDueTimers(t.services);
    await sharer.type('question');
    // "Je vais bien": her other screens drop the question; the contact is told nothing new.
    const arrival = new Date(t.clock.now()).toISOString();
    await answer('ok', {});
    expect(await sharer.type('times')).toEqual({
      type: 'times',
      share: share.id,
      expectedArrival: arrival,
      until: null,
    });
    // "+ 15 min": the new expected arrival reaches the contact's open page.
    const later = inMinutes(t, 15);
    await answer('checkin', { due: later });
    expect(await watcher.type('times')).toEqual({
      type: 'times',
      share: share.id,
      expectedArrival: later,
      until: null,
    });
    expect(watcher.messages.filter((m) => m.type === 'times')).toHaveLength(1);
    await sharer.next((m) => m.type === 'times' && m.expectedArrival === later);
  });

  it('resumes: a watcher gets the backlog after its last seq; a resent seq is stored once', async () => {
    const share = await startShare(t, alice, [await addDevice(t, bob)]);
    const sharer = await open();
    await sharer.join(share.id, { token: alice.token });
    for (const seq of [0, 1, 2, 3])
      sharer.send({ type: 'pos', share: share.id, seq, c: await seal(share, seq) });
    await sharer.type('ack', { seq: 3 });
    // The sharer reconnects and resends what it is unsure of.
    sharer.ws.terminate();
    const again = await open();
    expect(await again.join(share.id, { token: alice.token })).toMatchObject({ lastSeq: 3 });
    again.send({ type: 'pos', seq: 3, c: await seal(share, 3) }); // one room joined: share may be left out
    await again.type('ack', { seq: 3 });
    const rows = await storedTrail(t.services.db.kysely, [share.id]);
    expect(rows.map((r) => r.seq)).toEqual([0, 1, 2, 3]);

    const watcher = await open();
    await watcher.join(share.id, { token: bob.token });
    watcher.send({ type: 'since', share: share.id, seq: 1 });
    await watcher.type('pos', { seq: 3 });
    expect(watcher.messages.filter((m) => m.type === 'pos').map((m) => m.seq)).toEqual([2, 3]);
  });

  it('closes a removed contact’s socket at once (4403), and the contact cannot join again', async () => {
    const share = await startShare(t, alice, [await addDevice(t, bob)]);
    const watcher = await open();
    await watcher.join(share.id, { token: bob.token });
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/api/contacts/${relationship}`,
      headers: alice.auth,
    });
    expect(res.statusCode).toBe(204);
    expect((await watcher.closed).code).toBe(4403);
    const back = await open();
    expect(await back.join(share.id, { token: bob.token })).toMatchObject({
      type: 'error',
      code: 'forbidden',
    });
  });

  it('closes the sockets of a session at logout (4401); the same user’s other session stays', async () => {
    const share = await startShare(t, alice, [await addDevice(t, bob)]);
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: bob.email, password: TEST_PASSWORD },
    });
    const otherToken = other.cookies.find((c) => c.name === 'havre_session')!.value;
    const byMessage = await open();
    await byMessage.join(share.id, { token: bob.token });
    const byCookie = await open(cookie(bob));
    await byCookie.join(share.id);
    const otherPhone = await open();
    await otherPhone.join(share.id, { token: otherToken });
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: bob.auth });
    expect(out.statusCode).toBe(204);
    expect((await byMessage.closed).code).toBe(4401);
    expect((await byCookie.closed).code).toBe(4401);
    const sharer = await open();
    await sharer.join(share.id, { token: alice.token });
    sharer.send({ type: 'pos', share: share.id, seq: 0, c: await seal(share, 0) });
    expect(await otherPhone.type('pos')).toMatchObject({ seq: 0 }); // still open, still served
  });

  it('closes every socket of the user at account erasure (4401), and her sessions’ watchers (4410)', async () => {
    const share = await startShare(t, alice, [await addDevice(t, bob)]);
    const watcher = await open();
    await watcher.join(share.id, { token: bob.token });
    const sharer = await open();
    await sharer.join(share.id, { token: alice.token });
    const erased = await t.app.inject({
      method: 'DELETE',
      url: '/api/me',
      headers: alice.auth,
      payload: { password: TEST_PASSWORD },
    });
    expect(erased.statusCode).toBe(204);
    expect((await sharer.closed).code).toBe(4401);
    expect((await watcher.closed).code).toBe(4410); // her session is gone with her
    expect(watcher.messages.at(-1)).toEqual({ type: 'ended', share: share.id });
  });

  it('closes a guest’s socket when the link is revoked (4403)', async () => {
    const share = await startShare(t, alice, []);
    const link = (
      await t.app.inject({
        method: 'POST',
        url: `/api/shares/${share.id}/guest-links`,
        headers: alice.auth,
        payload: { expiresAt: inMinutes(t, 60) },
      })
    ).json();
    const guest = await open();
    await guest.join(share.id, { guest: link.token });
    await t.app.inject({
      method: 'DELETE',
      url: `/api/shares/${share.id}/guest-links/${link.id}`,
      headers: alice.auth,
    });
    expect((await guest.closed).code).toBe(4403);
    const again = await open();
    again.send({ type: 'auth', guest: link.token });
    expect((await again.closed).code).toBe(4401);
  });

  it('lets a browser signed in to another account follow a guest link it was given', async () => {
    const share = await startShare(t, alice, []);
    const link = (
      await t.app.inject({
        method: 'POST',
        url: `/api/shares/${share.id}/guest-links`,
        headers: alice.auth,
        payload: { expiresAt: inMinutes(t, 60) },
      })
    ).json();
    const carol = await userWith(t); // not a contact of Alice; her cookie authenticates the upgrade
    const guest = await open(cookie(carol));
    await guest.type('ready');
    expect(await guest.join(share.id, { guest: link.token })).toMatchObject({
      type: 'joined',
      role: 'watcher',
      access: 'live',
    });
    const forged = await open(cookie(carol));
    await forged.type('ready');
    forged.send({ type: 'auth', guest: 'not-a-guest-token' });
    expect((await forged.closed).code).toBe(4401);
  });

  it('closes a guest’s socket when its link expires (4403)', async () => {
    const share = await startShare(t, alice, []);
    const link = (
      await t.app.inject({
        method: 'POST',
        url: `/api/shares/${share.id}/guest-links`,
        headers: alice.auth,
        payload: { expiresAt: inMinutes(t, 1) },
      })
    ).json();
    t.clock.advance(MINUTE - 300);
    const guest = await open();
    expect(await guest.join(share.id, { guest: link.token })).toMatchObject({ type: 'joined' });
    expect((await guest.closed).code).toBe(4403);
  });

  it('counts open sockets and relayed frames in /metrics', async () => {
    const share = await startShare(t, alice, [await addDevice(t, bob)]);
    const sharer = await open();
    await sharer.join(share.id, { token: alice.token });
    const watcher = await open();
    await watcher.join(share.id, { token: bob.token });
    sharer.send({ type: 'pos', share: share.id, seq: 0, c: await seal(share, 0) });
    await watcher.type('pos');
    const metrics = (await t.app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/^havre_relay_sockets 2$/m);
    expect(metrics).toMatch(/^havre_relay_frames_out_total 1$/m);
  });

  it('closes every socket of a session that ends (4410), after telling them', async () => {
    const share = await startShare(t, alice, [await addDevice(t, bob)]);
    const sharer = await open();
    await sharer.join(share.id, { token: alice.token });
    const watcher = await open();
    await watcher.join(share.id, { token: bob.token });
    await t.app.inject({ method: 'POST', url: `/api/shares/${share.id}/arrived`, headers: alice.auth });
    // Watchers learn that she arrived, not only that the session stopped.
    expect(await watcher.type('ended')).toEqual({ type: 'ended', share: share.id, reason: 'arrived' });
    expect((await watcher.closed).code).toBe(4410);
    expect((await sharer.closed).code).toBe(4410);
    const late = await open();
    expect(await late.join(share.id, { token: bob.token })).toMatchObject({ type: 'error', code: 'ended' });
  });

  it('relays positions sent over the HTTP fallback to the live watchers', async () => {
    const share = await startShare(t, alice, [await addDevice(t, bob)]);
    const watcher = await open();
    await watcher.join(share.id, { token: bob.token });
    const c = await seal(share, 7);
    await t.app.inject({
      method: 'POST',
      url: `/api/shares/${share.id}/positions`,
      headers: alice.auth,
      payload: { positions: [{ seq: 7, c }] },
    });
    expect(await watcher.type('pos')).toEqual({ type: 'pos', share: share.id, seq: 7, c });
  });

  it('closes a socket that sends something that is not JSON (1008)', async () => {
    const client = await open(cookie(alice));
    await client.type('ready');
    client.ws.send('not json');
    expect((await client.closed).code).toBe(1008);
  });
});
