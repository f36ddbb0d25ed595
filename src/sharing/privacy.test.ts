/**
 * The promise of DESIGN.md, checked end to end: after a whole session (contacts, devices,
 * live relay, HTTP fallback, guest link, missed check-in, SOS and its cancel, arrival, every
 * notification delivered), no table, no log line and no message sent holds a position or a
 * session key in clear.
 */
import { sql } from 'kysely';
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
  RecordingPush,
  seal,
  startShare,
} from '../../test/helpers/sharing.ts';
import { encryptMeta, exportSessionKey, guestLinkWithKey } from '../shared/envelope.ts';
import { fireDueTimers } from './timers.ts';

const MINUTE = 60_000;

async function everyRow(t: TestApp): Promise<Record<string, unknown[]>> {
  const k = t.services.db.kysely;
  const tables =
    t.backend.name === 'sqlite'
      ? (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`.execute(k)).rows
      : (
          await sql<{
            name: string;
          }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ${t.backend.schema}`.execute(
            k,
          )
        ).rows;
  const out: Record<string, unknown[]> = {};
  for (const { name } of tables) {
    out[name] = (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(name)}`.execute(k)).rows;
  }
  return out;
}

describe.each(backends())('no position or key in clear on %s', (backend) => {
  let t: TestApp;
  let push: RecordingPush;
  beforeEach(async () => {
    t = await makeTestApp(backend);
    push = new RecordingPush();
    t.services.push = push;
  });
  afterEach(async () => {
    await t.close();
  });

  it('after a whole session, scans every table, every log line and every message sent', async () => {
    const url = await listen(t);
    const alice = await userWith(t, { email: 'alice@example.org' });
    const bob = await userWith(t, { email: 'bob@example.org' });
    await befriend(t, alice, bob);
    await t.app.inject({
      method: 'PUT',
      url: '/api/me/phone',
      headers: bob.auth,
      payload: { phone: '+33612345678' },
    });
    await t.app.inject({
      method: 'POST',
      url: '/api/push/subscriptions',
      headers: bob.auth,
      payload: {
        endpoint: 'https://push.example.net/sub/bob',
        keys: { p256dh: 'B'.repeat(87), auth: 'A'.repeat(22) },
      },
    });
    const phone = await addDevice(t, bob);
    const id = crypto.randomUUID();
    const share = await startShare(t, alice, [phone], {
      id,
      visibility: 'checkin',
      expectedArrival: inMinutes(t, 30),
    });
    await startShare(t, alice, [phone]); // a second session, to have more rows
    const key = await exportSessionKey(share.key);
    await t.app.inject({
      method: 'PUT',
      url: '/api/sos/pin',
      headers: alice.auth,
      payload: { pin: '4826', password: TEST_PASSWORD },
    });
    const meta = await encryptMeta(share.key, id, { destination: '12 rue des Martyrs' });
    await t.app.inject({
      method: 'POST',
      url: `/api/shares/${id}/keys`,
      headers: alice.auth,
      payload: { recipients: [] },
    });
    await t.services.db.kysely.updateTable('share_sessions').set({ meta }).where('id', '=', id).execute();

    const sharer = await Client.open(url);
    await sharer.join(id, { token: alice.token });
    const watcher = await Client.open(url);
    await watcher.join(id, { token: bob.token });
    for (let seq = 0; seq < 5; seq++) {
      const p = { ...POSITION, lat: POSITION.lat + seq * 1e-4, t: POSITION.t + seq * 5000 };
      sharer.send({ type: 'pos', share: id, seq, c: await seal(share, seq, p) });
    }
    await sharer.type('ack', { seq: 4 });
    await t.app.inject({
      method: 'POST',
      url: `/api/shares/${id}/positions`,
      headers: alice.auth,
      payload: { positions: [{ seq: 5, c: await seal(share, 5) }] },
    });
    const link = (
      await t.app.inject({
        method: 'POST',
        url: `/api/shares/${id}/guest-links`,
        headers: alice.auth,
        payload: { expiresAt: inMinutes(t, 60) },
      })
    ).json();
    const fullLink = await guestLinkWithKey(link.url, share.key);
    expect(fullLink).toContain(key);
    const guest = await Client.open(url);
    await guest.join(id, { guest: link.token });
    sharer.send({ type: 'still', share: id, minutes: 30 });
    await sharer.type('question');
    t.clock.advance(5 * MINUTE);
    await fireDueTimers(t.services);
    await watcher.type('pos', { seq: 5 });
    const sos = (
      await t.app.inject({ method: 'POST', url: '/api/sos', headers: alice.auth, payload: { shareId: id } })
    ).json();
    const cancelled = await t.app.inject({
      method: 'POST',
      url: `/api/sos/${sos.id}/cancel`,
      headers: alice.auth,
      payload: { pin: '4826' },
    });
    expect(cancelled.statusCode).toBe(200);
    const arrived = await t.app.inject({
      method: 'POST',
      url: `/api/shares/${id}/arrived`,
      headers: alice.auth,
    });
    expect(arrived.statusCode).toBe(200);
    await t.app.inject({ url: `/api/shares/${id}/positions?since=-1`, headers: alice.auth });
    await t.app.inject({ url: '/api/me/export', headers: alice.auth });
    for (const c of [sharer, watcher, guest]) c.ws.terminate();
    await expect
      .poll(
        async () =>
          (await t.services.db.kysely.selectFrom('outbox').where('sent_at', 'is', null).selectAll().execute())
            .length,
      )
      .toBe(0);

    const forbidden = [
      String(POSITION.lat),
      String(POSITION.lon),
      '48.856',
      '2.3522',
      '8566137',
      '3522219',
      key,
      Buffer.from(key, 'base64url').toString('hex'),
      Buffer.from(key, 'base64url').toString('base64'),
      'rue des Martyrs',
    ];
    const rows = await everyRow(t);
    expect(Object.keys(rows)).toEqual(
      expect.arrayContaining(['trail_points', 'share_sessions', 'outbox', 'dev_sms']),
    );
    // The scan saw the trail (SQLite keeps its newest points in the append log until a move).
    expect(rows.trail_points.length + rows.trail_log.length).toBeGreaterThan(0);
    const haystacks: Record<string, string> = {
      database: JSON.stringify(rows),
      logs: t.logs.lines.join('\n'),
      mail: JSON.stringify(t.mail.sent),
      push: JSON.stringify(push.sent),
    };
    expect(t.mail.sent.length).toBeGreaterThanOrEqual(5);
    expect(push.sent.length).toBeGreaterThan(0);
    expect(rows.dev_sms.length).toBeGreaterThan(0);
    for (const [where, text] of Object.entries(haystacks)) {
      for (const needle of forbidden) {
        expect(text.includes(needle), `${where} contains ${needle}`).toBe(false);
      }
    }
  });
});
