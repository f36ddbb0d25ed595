import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import { addDevice, befriend, inMinutes, seal, startShare, type User } from '../../test/helpers/sharing.ts';
import { createLogger } from '../server/logger.ts';
import { createServices } from '../server/services.ts';
import { fireDueTimers, reportStillness } from './timers.ts';

const MINUTE = 60_000;

describe.each(backends())('check-in timer on %s', (backend) => {
  let t: TestApp;
  let alice: User;
  let bob: User;
  beforeEach(async () => {
    t = await makeTestApp(backend);
    alice = await userWith(t, { email: 'alice@example.org' });
    bob = await userWith(t, { email: 'bob@example.org' });
    await befriend(t, alice, bob);
    await t.app.inject({
      method: 'PUT',
      url: '/api/me/phone',
      headers: bob.auth,
      payload: { phone: '06 12 34 56 78' },
    });
  });
  afterEach(async () => {
    await t.close();
  });

  const k = () => t.services.db.kysely;
  const outbox = (channel?: string) =>
    k()
      .selectFrom('outbox')
      .selectAll()
      .$if(channel !== undefined, (q) => q.where('channel', '=', channel as 'email'))
      .orderBy('created_at')
      .execute();
  const view = (id: string, who: User) => t.app.inject({ url: `/api/shares/${id}`, headers: who.auth });
  const checkinShare = async () =>
    startShare(t, alice, [await addDevice(t, bob)], {
      visibility: 'checkin',
      expectedArrival: inMinutes(t, 30),
    });

  it('asks the sharer when the expected arrival passes, then alerts the contacts after 5 minutes of silence', async () => {
    const share = await checkinShare();
    t.clock.advance(29 * MINUTE);
    expect(await fireDueTimers(t.services)).toEqual({ asked: [], alerted: [] });

    t.clock.advance(MINUTE);
    expect(await fireDueTimers(t.services)).toEqual({ asked: [share.id], alerted: [] });
    const question = (await outbox('email')).filter((m) => m.recipient === 'alice@example.org');
    expect(question).toHaveLength(1);
    expect(JSON.parse(question[0].payload).subject).toBe('Havre : êtes-vous bien arrivé·e ?');
    expect((await view(share.id, alice)).json().checkin).toMatchObject({
      state: 'asking',
      reason: 'overdue',
    });
    expect((await view(share.id, bob)).json().access).toBe('waiting');

    t.clock.advance(4 * MINUTE);
    expect((await fireDueTimers(t.services)).alerted).toEqual([]);
    t.clock.advance(MINUTE);
    expect((await fireDueTimers(t.services)).alerted).toEqual([share.id]);

    const toBob = (await outbox()).filter((m) => m.user_id === bob.id && m.channel !== 'push');
    expect(toBob.map((m) => m.channel).sort()).toEqual(['email', 'sms']);
    const sms = JSON.parse(toBob.find((m) => m.channel === 'sms')!.payload).text as string;
    expect(sms).toBe(
      `Alerte Havre : un de vos proches n'a pas confirmé son arrivée. http://localhost:8080/suivre/${share.id}`,
    );
    const bobView = (await view(share.id, bob)).json();
    expect(bobView).toMatchObject({ status: 'alerted', alertReason: 'overdue', access: 'live' });
    // Nothing fires twice.
    t.clock.advance(10 * MINUTE);
    expect(await fireDueTimers(t.services)).toEqual({ asked: [], alerted: [] });
  });

  it('"I am OK" during the question cancels the alert and asks again 15 minutes later', async () => {
    const share = await checkinShare();
    t.clock.advance(31 * MINUTE);
    await fireDueTimers(t.services);
    const ok = await t.app.inject({
      method: 'POST',
      url: `/api/shares/${share.id}/ok`,
      headers: alice.auth,
      payload: {},
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().checkin.state).toBe('pending');
    t.clock.advance(5 * MINUTE);
    expect(await fireDueTimers(t.services)).toEqual({ asked: [], alerted: [] });
    t.clock.advance(10 * MINUTE);
    expect((await fireDueTimers(t.services)).asked).toEqual([share.id]);
    expect((await outbox()).filter((m) => m.user_id === bob.id && m.channel === 'sms')).toEqual([]);
  });

  it('a new check-in time moves the question; "I am OK" after an alert tells the contacts and closes access again', async () => {
    const share = await checkinShare();
    const later = await t.app.inject({
      method: 'POST',
      url: `/api/shares/${share.id}/checkin`,
      headers: alice.auth,
      payload: { due: inMinutes(t, 60) },
    });
    expect(later.json().expectedArrival).toBe(inMinutes(t, 60));
    t.clock.advance(61 * MINUTE);
    await fireDueTimers(t.services);
    t.clock.advance(5 * MINUTE);
    expect((await fireDueTimers(t.services)).alerted).toEqual([share.id]);
    expect((await view(share.id, bob)).json().access).toBe('live');

    const ok = await t.app.inject({
      method: 'POST',
      url: `/api/shares/${share.id}/ok`,
      headers: alice.auth,
      payload: {},
    });
    expect(ok.json()).toMatchObject({ status: 'active', alertReason: null });
    expect((await view(share.id, bob)).json().access).toBe('waiting');
    const told = (await outbox('email'))
      .filter((m) => m.recipient === 'bob@example.org')
      .map((m) => JSON.parse(m.payload).subject);
    expect(told).toContain('Havre : alice@example.org va bien');
  });

  it('asks when the sharer’s browser reports immobility past the threshold', async () => {
    const share = await startShare(t, alice, [await addDevice(t, bob)], { stillMinutes: 10 });
    expect(await reportStillness(t.services, share.id, 9)).toBe(false);
    expect(await reportStillness(t.services, share.id, 12)).toBe(true);
    expect(await reportStillness(t.services, share.id, 13)).toBe(false);
    t.clock.advance(5 * MINUTE);
    expect((await fireDueTimers(t.services)).alerted).toEqual([share.id]);
    const subjects = (await outbox('email')).map((m) => JSON.parse(m.payload).subject);
    expect(subjects).toContain('Havre : tout va bien ?');
    expect(subjects).toContain('Havre : alerte, alice@example.org ne répond pas');
  });

  it('alerts exactly once when two schedulers race on the same database', async () => {
    const share = await checkinShare();
    await t.app.inject({
      method: 'POST',
      url: `/api/shares/${share.id}/positions`,
      headers: alice.auth,
      payload: { positions: [{ seq: 0, c: await seal(share, 0) }] },
    });
    const other = await createServices(t.services.config, {
      db: { schema: t.backend.schema, poolSize: 4 },
      clock: { now: t.clock.now },
      mail: t.mail,
      log: createLogger('silent'),
      outboxIntervalMs: 60_000,
    });
    try {
      t.clock.advance(30 * MINUTE);
      const asks = await Promise.all([fireDueTimers(t.services), fireDueTimers(other)]);
      expect(asks.flatMap((r) => r.asked)).toEqual([share.id]);
      t.clock.advance(5 * MINUTE);
      const alerts = await Promise.all([fireDueTimers(other), fireDueTimers(t.services)]);
      expect(alerts.flatMap((r) => r.alerted)).toEqual([share.id]);
    } finally {
      await other.close();
    }
    const sms = (await outbox('sms')).filter((m) => m.user_id === bob.id);
    expect(sms).toHaveLength(1);
    const questions = (await outbox('email')).filter((m) => m.recipient === 'alice@example.org');
    expect(questions).toHaveLength(1);
  });

  it('a timer survives a restart: a new instance on the same database fires it', async () => {
    const share = await checkinShare();
    const restarted = await createServices(t.services.config, {
      db: { schema: t.backend.schema, poolSize: 2 },
      clock: { now: t.clock.now },
      mail: t.mail,
      log: createLogger('silent'),
    });
    try {
      t.clock.advance(35 * MINUTE);
      expect((await fireDueTimers(restarted)).asked).toEqual([share.id]);
      t.clock.advance(5 * MINUTE);
      expect((await fireDueTimers(restarted)).alerted).toEqual([share.id]);
    } finally {
      await restarted.close();
    }
  });

  // The pass runs every 5 s on the relay's event loop: on SQLite a claim (UPDATE), even one
  // that changes nothing, waits there for the write lock the trail worker holds at every commit.
  it.runIf(backend === 'sqlite')(
    'takes no write lock while no timer is due, and claims once one is',
    async () => {
      const share = await checkinShare();
      const sqlite = t.services.db.sqlite!;
      const other = new Database(sqlite.name);
      sqlite.pragma('busy_timeout = 0'); // a write while `other` holds the lock fails at once
      try {
        other.prepare('BEGIN IMMEDIATE').run();
        t.clock.advance(29 * MINUTE);
        expect(await fireDueTimers(t.services)).toEqual({ asked: [], alerted: [] });
        other.prepare('ROLLBACK').run();
        t.clock.advance(MINUTE);
        expect(await fireDueTimers(t.services)).toEqual({ asked: [share.id], alerted: [] });
        other.prepare('BEGIN IMMEDIATE').run();
        t.clock.advance(MINUTE);
        expect(await fireDueTimers(t.services)).toEqual({ asked: [], alerted: [] });
        other.prepare('ROLLBACK').run();
      } finally {
        if (other.inTransaction) other.prepare('ROLLBACK').run();
        other.close();
        sqlite.pragma('busy_timeout = 5000');
      }
    },
  );

  it('takes up again after a minute a step whose instance died before handling it', async () => {
    const share = await checkinShare();
    const now = t.clock.now();
    // Claimed ("asking", question due later) by an instance that never wrote its consequences.
    await k()
      .updateTable('checkin_timers')
      .set({ state: 'asking', reason: 'overdue', due_at: now + 5 * MINUTE, fired_at: now, handled_at: null })
      .where('share_id', '=', share.id)
      .execute();
    t.clock.advance(MINUTE - 1);
    expect(await fireDueTimers(t.services)).toEqual({ asked: [], alerted: [] });
    t.clock.advance(1);
    expect(await fireDueTimers(t.services)).toEqual({ asked: [share.id], alerted: [] });
    expect((await outbox('email')).filter((m) => m.recipient === 'alice@example.org')).toHaveLength(1);
  });

  it('waits HAVRE_CHECKIN_GRACE (here 2 minutes) before alerting, and says so in the question', async () => {
    const short = await makeTestApp(backend, { env: { HAVRE_CHECKIN_GRACE: '2m' } });
    try {
      const a = await userWith(short, { email: 'alice@example.org' });
      const b = await userWith(short, { email: 'bob@example.org' });
      await befriend(short, a, b);
      const share = await startShare(short, a, [await addDevice(short, b)], {
        visibility: 'checkin',
        expectedArrival: inMinutes(short, 10),
      });
      short.clock.advance(10 * MINUTE);
      expect((await fireDueTimers(short.services)).asked).toEqual([share.id]);
      const question = await short.services.db.kysely
        .selectFrom('outbox')
        .select('payload')
        .where('channel', '=', 'email')
        .where('recipient', '=', 'alice@example.org')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(question.payload).text).toContain('seront alertés dans 2 minutes.');
      const asking = (await short.app.inject({ url: `/api/shares/${share.id}`, headers: a.auth })).json();
      expect(Date.parse(asking.checkin.dueAt)).toBe(short.clock.now() + 2 * MINUTE);
      short.clock.advance(2 * MINUTE - 1);
      expect((await fireDueTimers(short.services)).alerted).toEqual([]);
      short.clock.advance(1);
      expect((await fireDueTimers(short.services)).alerted).toEqual([share.id]);
    } finally {
      await short.close();
    }
  });
});
