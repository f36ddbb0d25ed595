import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, TEST_PASSWORD, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import {
  addDevice,
  befriend,
  inMinutes,
  startShare,
  type User,
  wrapFor,
} from '../../test/helpers/sharing.ts';
import { RedisUnavailableError } from '../bus/redis-counters.ts';
import { generateSessionKey } from '../shared/envelope.ts';

describe.each(backends())('SOS on %s', (backend) => {
  let t: TestApp;
  let alice: User;
  let bob: User;
  let carol: User;
  beforeEach(async () => {
    t = await makeTestApp(backend);
    alice = await userWith(t, { email: 'alice@example.org' });
    bob = await userWith(t, { email: 'bob@example.org' });
    carol = await userWith(t, { email: 'carol@example.org' });
    await befriend(t, alice, bob);
    await befriend(t, alice, carol);
    await t.app.inject({
      method: 'PUT',
      url: '/api/me/phone',
      headers: bob.auth,
      payload: { phone: '+33612345678' },
    });
  });
  afterEach(async () => {
    await t.close();
  });

  const sos = (payload: Record<string, unknown> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/sos', headers: alice.auth, payload });
  const cancel = (id: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: `/api/sos/${id}/cancel`, headers: alice.auth, payload });
  const outbox = () => t.services.db.kysely.selectFrom('outbox').selectAll().execute();

  it('opens a live session for every contact, alerts them all, and lists the devices still to key', async () => {
    const bobPhone = await addDevice(t, bob);
    const carolPhone = await addDevice(t, carol);
    const key = await generateSessionKey();
    const res = await sos({ recipients: await wrapFor(key, [bobPhone]) });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.share).toMatchObject({
      mode: 'sos',
      visibility: 'live',
      status: 'alerted',
      alertReason: 'sos',
    });
    expect(body.devicesWithoutKey.map((d: { id: string }) => d.id)).toEqual([carolPhone.id]);

    const messages = await outbox();
    const alerted = new Set(messages.filter((m) => m.channel === 'email').map((m) => m.recipient));
    expect(alerted).toEqual(new Set(['bob@example.org', 'carol@example.org']));
    const sms = messages.filter((m) => m.channel === 'sms');
    expect(sms.map((m) => m.recipient)).toEqual(['+33612345678']);
    expect(JSON.parse(sms[0].payload).text).toBe(
      `SOS Havre : un de vos proches demande de l'aide. Appelez le 17 ou le 112 en cas de danger. http://localhost:8080/suivre/${body.share.id}`,
    );
    const bobView = await t.app.inject({ url: `/api/shares/${body.share.id}`, headers: bob.auth });
    expect(bobView.json()).toMatchObject({ access: 'live', status: 'alerted' });
  });

  it('switches a check-in session to live', async () => {
    const share = await startShare(t, alice, [await addDevice(t, bob)], {
      visibility: 'checkin',
      expectedArrival: inMinutes(t, 45),
    });
    const res = await sos({ shareId: share.id });
    expect(res.json().share).toMatchObject({ id: share.id, visibility: 'live', status: 'alerted' });
    expect((await t.app.inject({ url: `/api/shares/${share.id}`, headers: bob.auth })).json().access).toBe(
      'live',
    );
  });

  it('keeps one SOS per person: a second press (another phone, a trip) answers the running one and alerts nobody again', async () => {
    const bobPhone = await addDevice(t, bob);
    const firstKeys = await wrapFor(await generateSessionKey(), [bobPhone]);
    const first = await sos({ recipients: firstKeys });
    expect(first.statusCode).toBe(201);
    expect(first.json().alreadyRunning).toBe(false);
    const { id, share } = first.json();
    const alertsAfterFirst = (await outbox()).length;

    // Her other phone made its own session key: it must not replace the key Bob holds.
    const otherPhone = await sos({ recipients: await wrapFor(await generateSessionKey(), [bobPhone]) });
    expect(otherPhone.statusCode).toBe(200);
    expect(otherPhone.json()).toMatchObject({
      id,
      alreadyRunning: true,
      share: { id: share.id, mode: 'sos' },
    });
    const trip = await startShare(t, alice, [bobPhone], {
      visibility: 'checkin',
      expectedArrival: inMinutes(t, 45),
    });
    expect((await sos({ shareId: trip.id })).json()).toMatchObject({ id, share: { id: share.id } });

    expect(await outbox()).toHaveLength(alertsAfterFirst);
    const events = await t.services.db.kysely.selectFrom('sos_events').select('id').execute();
    expect(events.map((e) => e.id)).toEqual([id]);
    const keys = await t.services.db.kysely
      .selectFrom('share_recipients')
      .select('wrapped_key')
      .where('share_id', '=', share.id)
      .execute();
    expect(keys.map((k) => k.wrapped_key)).toEqual(firstKeys.map((k) => k.wrappedKey));

    // Cancelled, it is over: the next press is a new SOS.
    expect((await cancel(id, { password: TEST_PASSWORD })).statusCode).toBe(200);
    const again = await sos();
    expect(again.statusCode).toBe(201);
    expect(again.json().id).not.toBe(id);
  });

  it('starts one SOS when two phones press at the same moment', async () => {
    const answers = await Promise.all([sos(), sos(), sos()]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 201]);
    expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
    const events = await t.services.db.kysely.selectFrom('sos_events').select('id').execute();
    expect(events).toHaveLength(1);
  });

  it('refuses to cancel without the right confirmation, then cancels with the password and tells the contacts', async () => {
    const { id, share } = (await sos()).json();
    expect((await cancel(id, {})).statusCode).toBe(400);
    const wrong = await cancel(id, { password: 'not-the-password' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('HAVRE_ERR_INVALID_CREDENTIALS');
    const byBob = await t.app.inject({
      method: 'POST',
      url: `/api/sos/${id}/cancel`,
      headers: bob.auth,
      payload: { password: TEST_PASSWORD },
    });
    expect(byBob.statusCode).toBe(404);
    const ok = await cancel(id, { password: TEST_PASSWORD });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ shareId: share.id, ended: true });
    const sms = (await outbox()).filter((m) => m.channel === 'sms').map((m) => JSON.parse(m.payload).text);
    expect(sms).toHaveLength(2);
    expect(sms.some((text) => text.includes('le SOS a été annulé'))).toBe(true);
    expect((await cancel(id, { password: TEST_PASSWORD })).statusCode).toBe(409);
  });

  it('cancels with the PIN; an SOS on a trip returns the trip to what was chosen', async () => {
    const pin = await t.app.inject({
      method: 'PUT',
      url: '/api/sos/pin',
      headers: alice.auth,
      payload: { pin: '4826', password: TEST_PASSWORD },
    });
    expect(pin.statusCode).toBe(204);
    const share = await startShare(t, alice, [await addDevice(t, bob)], {
      visibility: 'checkin',
      expectedArrival: inMinutes(t, 45),
    });
    const { id } = (await sos({ shareId: share.id })).json();
    expect((await cancel(id, { pin: '0000' })).statusCode).toBe(401);
    const ok = await cancel(id, { pin: '4826' });
    expect(ok.json()).toEqual({ shareId: share.id, ended: false });
    const view = (await t.app.inject({ url: `/api/shares/${share.id}`, headers: alice.auth })).json();
    expect(view).toMatchObject({ status: 'active', visibility: 'checkin', alertReason: null });
    expect(view.checkin.state).toBe('pending');
  });

  it('stops trying confirmations after 5 failures (429), even with the right password', async () => {
    const { id } = (await sos()).json();
    for (let i = 0; i < 5; i++) expect((await cancel(id, { pin: '1111' })).statusCode).toBe(401);
    const blocked = await cancel(id, { password: TEST_PASSWORD });
    expect(blocked.statusCode).toBe(429);
  });

  /** Shared counters as RedisCounters behave while Redis is away: every command fails at once. */
  const redisAway = () => {
    const away = async () => {
      throw new RedisUnavailableError(new Error('connect ECONNREFUSED'));
    };
    t.services.counters = { hit: away, get: away, reset: away };
  };

  it('cancels while the shared counters (Redis) are away, instead of answering 503', async () => {
    const { id, share } = (await sos()).json();
    redisAway();
    const ok = await cancel(id, { password: TEST_PASSWORD });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ shareId: share.id, ended: true });
    const row = await t.services.db.kysely
      .selectFrom('sos_events')
      .select(['cancelled_at', 'cancel_method'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.cancelled_at).not.toBeNull();
    expect(row.cancel_method).toBe('password');
    const sms = (await outbox()).filter((m) => m.channel === 'sms').map((m) => JSON.parse(m.payload).text);
    expect(sms.some((text) => text.includes('le SOS a été annulé'))).toBe(true);
  });

  it('still stops wrong confirmations after 5 failures while Redis is away (counted on this instance)', async () => {
    const { id } = (await sos()).json();
    redisAway();
    for (let i = 0; i < 5; i++) expect((await cancel(id, { pin: '1111' })).statusCode).toBe(401);
    expect((await cancel(id, { password: TEST_PASSWORD })).statusCode).toBe(429);
  });

  it('does not let "I have arrived" or "I am OK" silence an SOS', async () => {
    const share = await startShare(t, alice, [await addDevice(t, bob)]);
    await sos({ shareId: share.id });
    const arrived = await t.app.inject({
      method: 'POST',
      url: `/api/shares/${share.id}/arrived`,
      headers: alice.auth,
    });
    expect(arrived.statusCode).toBe(409);
    const ok = await t.app.inject({
      method: 'POST',
      url: `/api/shares/${share.id}/ok`,
      headers: alice.auth,
      payload: {},
    });
    expect(ok.statusCode).toBe(409);
  });
});
