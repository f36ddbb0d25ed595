/**
 * Faults (issue 5): SOS and check-in alerts while Redis is away, under two instances
 * (`havre serve` on one PostgreSQL database and a redis-server of this test's own, killed with
 * SIGKILL and started again).
 *
 * A check-in-only contact follows Alice from both instances. With Redis away, the event that
 * gives him access (a missed check-in fired by whichever instance runs the timers, an SOS sent
 * to instance A) cannot cross to the other instance: each relay re-reads its rooms' access
 * from the database while degraded, so both of his sockets turn live within seconds, without
 * Redis. Cancelling the SOS on instance B, whose throttle counters live in Redis, is recorded
 * (it answered 503 before), the contacts are told through the outbox, and access is withdrawn
 * on both instances again. Alice ending the relationship on A closes Bob's sockets on B too.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_URL } from '../helpers/backends.ts';
import { hasRedisServer, type Instance, type RedisProcess, until } from '../helpers/instances.ts';
import { type OwnRedisPair, ownRedisPair } from '../helpers/own-redis-pair.ts';
import { befriend, call, type Person, share, signup, socket, unfold } from '../helpers/remote-people.ts';
import type { Client } from '../helpers/sharing.ts';
import type { Received } from '../helpers/smtp.ts';

const PASSWORD = 'correct-horse-battery';
/** Access must follow the database within this (the relay re-reads every 2 s while degraded). */
const WITHIN_MS = 15_000;

describe.runIf(POSTGRES_URL && hasRedisServer)('SOS and check-in alerts while Redis is away', () => {
  let cluster: OwnRedisPair;
  let sql: pg.Client;
  let redis: RedisProcess;
  const mails: Received[] = [];
  let A: Instance;
  let B: Instance;
  let alice: Person;
  let bob: Person;
  const sockets: Client[] = [];
  const inTwoHours = () => new Date(Date.now() + 2 * 3_600_000).toISOString();
  const checkinTrip = () => share(alice, A, bob, B, { visibility: 'checkin', expectedArrival: inTwoHours() });

  /** Bob's sockets on both instances, joined to `shareId` and waiting (check-in mode). */
  async function bobWatches(shareId: string): Promise<Client[]> {
    const watchers: Client[] = [];
    for (const on of [A, B]) {
      const watcher = await socket(on, bob, sockets);
      expect(await watcher.join(shareId)).toMatchObject({ access: 'waiting' });
      watchers.push(watcher);
    }
    return watchers;
  }
  const told = (watcher: Client, shareId: string, access: 'live' | 'waiting') =>
    watcher.messages.some((m) => m.type === 'status' && m.share === shareId && m.access === access);
  /** E-mails to `who` whose text holds `words` (ASCII: the rest is quoted-printable). */
  const mailsTo = (who: Person, words: string) =>
    mails.filter((m) => m.to.includes(who.email) && unfold(m.data).includes(words)).length;

  beforeAll(async () => {
    cluster = await ownRedisPair('redis_outage_sos', mails);
    ({ redis, A, B } = cluster);
    sql = new pg.Client({ connectionString: cluster.database.url });
    await sql.connect();
    alice = await signup(A.base, 'alice@outage-sos.example', mails);
    bob = await signup(B.base, 'bob@outage-sos.example', mails);
    await befriend(alice, A, bob, B);
  }, 300_000);

  afterAll(async () => {
    for (const client of sockets) client.ws.terminate();
    await sql?.end();
    await cluster?.close();
  });

  it('gives access on every instance after a missed check-in or an SOS, and cancels the SOS, all without Redis', async () => {
    const missed = await checkinTrip();
    const sos = await checkinTrip();
    const missedWatchers = await bobWatches(missed.id);
    const sosWatchers = await bobWatches(sos.id);

    await redis.stop();
    for (const watcher of [...missedWatchers, ...sosWatchers]) await watcher.type('degraded');

    // Missed check-in: Alice was asked and the grace period is over (set in the database, the
    // way the timer leaves it); the next pass of the timers, on either instance, alerts.
    await sql.query(
      `update checkin_timers set state = 'asking', reason = 'overdue', asked_at = $2, due_at = $2,
         fired_at = $2, handled_at = $2 where share_id = $1`,
      [missed.id, Date.now() - 1_000],
    );
    for (const watcher of missedWatchers)
      await until(() => told(watcher, missed.id, 'live'), 'live access after the missed check-in', WITHIN_MS);
    // Live means live: `since` is allowed on both instances (a waiting watcher gets an error;
    // the pong comes after the answer to `since`, messages being handled in order).
    for (const watcher of missedWatchers) {
      watcher.send({ type: 'since', share: missed.id, seq: -1 });
      watcher.send({ type: 'ping' });
      await watcher.type('pong');
      expect(watcher.messages.filter((m) => m.type === 'error')).toEqual([]);
    }

    // SOS on A for the second trip: Bob's socket on B is given access too.
    const before = mailsTo(bob, 'vient de d');
    const sent = await call(A.base, '/api/sos', alice, { shareId: sos.id });
    expect(sent.status).toBe(201);
    for (const watcher of sosWatchers)
      await until(() => told(watcher, sos.id, 'live'), 'live access after the SOS', WITHIN_MS);
    await until(() => mailsTo(bob, 'vient de d') > before, 'the SOS e-mail to Bob');

    // Cancelled on B (throttle counters in Redis): a wrong password is refused as usual (401,
    // not 503), the right one cancels.
    const wrong = await call(B.base, `/api/sos/${sent.json.id}/cancel`, alice, { password: 'not-it' });
    expect(wrong.status).toBe(401);
    const cancelled = await call(B.base, `/api/sos/${sent.json.id}/cancel`, alice, { password: PASSWORD });
    expect(cancelled.status).toBe(200);
    expect(cancelled.json).toEqual({ shareId: sos.id, ended: false });
    const row = await sql.query('select cancelled_at, cancel_method from sos_events where id = $1', [
      sent.json.id,
    ]);
    expect(row.rows[0].cancelled_at).not.toBeNull();
    expect(row.rows[0].cancel_method).toBe('password');
    await until(() => mailsTo(bob, 'a annul') > 0, 'the cancel e-mail to Bob');
    // Back to check-in only on both instances (the trip goes on).
    for (const watcher of sosWatchers)
      await until(() => told(watcher, sos.id, 'waiting'), 'access withdrawn after the cancel', WITHIN_MS);

    // Alice ends the relationship on A: Bob's sockets on both instances close (4403).
    const contacts = await call(A.base, '/api/contacts', alice);
    const relationship = contacts.json.followers.find((f: { email: string }) => f.email === bob.email).id;
    const ended = await fetch(`${A.base}/api/contacts/${relationship}`, {
      method: 'DELETE',
      headers: alice.auth,
    });
    expect(ended.status).toBeLessThan(300);
    const codes = missedWatchers.map(() => 0);
    missedWatchers.forEach((watcher, i) => void watcher.closed.then(({ code }) => (codes[i] = code)));
    await until(() => codes.every((code) => code !== 0), 'Bob’s sockets closed', WITHIN_MS);
    expect(codes).toEqual([4403, 4403]);

    await redis.start();
    for (const instance of [A, B])
      await until(
        async () => (await call(instance.base, '/api/ready', null)).status === 200,
        'ready again',
        30_000,
      );
    // After the 1012, a new socket joins with what the database says: Bob follows no more.
    const again = await socket(B, bob, sockets);
    expect(await again.join(missed.id)).toMatchObject({ type: 'error', code: 'forbidden' });

    expect(A.alive() && B.alive()).toBe(true);
    expect(A.output() + B.output()).not.toMatch(/unhandled|uncaught/i);
  }, 180_000);
});
