/**
 * Faults: Redis goes away under two running instances (`havre serve` on one PostgreSQL
 * database and a redis-server of this test's own, killed with SIGKILL and started again on
 * the same port; the Redis other tests share is not touched).
 *
 * While it is away: what does not need Redis keeps working (reports, shares, acknowledged
 * positions, ending a session); /api/ready says not ready for Redis; what needs it answers 503
 * (login throttling) instead of hanging; sockets and dashboards are told that cross-instance
 * delivery is degraded, and the trail still comes from the database with `since`.
 * When it is back, with nobody doing anything: ready again, sockets closed with 1012 and
 * dashboards' streams ended so that clients reconnect and catch up, live delivery across
 * instances again. Neither process ever exits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_URL } from '../helpers/backends.ts';
import { hasRedisServer, havre, type Instance, type RedisProcess, until } from '../helpers/instances.ts';
import { type OwnRedisPair, ownRedisPair } from '../helpers/own-redis-pair.ts';
import {
  acks,
  befriend,
  call,
  type Person,
  positions,
  share,
  signup,
  socket,
} from '../helpers/remote-people.ts';
import { type Client, type StartedShare, seal } from '../helpers/sharing.ts';
import type { Received } from '../helpers/smtp.ts';
import { openSse, type Sse } from '../helpers/sse.ts';

const REPORT = {
  category: 'following',
  role: 'witness',
  lat: 48.8838,
  lon: 2.3203,
};

describe.runIf(POSTGRES_URL && hasRedisServer)('Redis outage under two instances', () => {
  let cluster: OwnRedisPair;
  let redis: RedisProcess;
  const mails: Received[] = [];
  let A: Instance;
  let B: Instance;
  let alice: Person;
  let bob: Person;
  let staff: Person;
  let trip: StartedShare;
  const sockets: Client[] = [];
  const feeds: Sse[] = [];
  const open = (on: Instance, who: Person) => socket(on, who, sockets);
  const report = (on: Instance) =>
    call(on.base, '/api/reports', alice, {
      ...REPORT,
      occurredAt: new Date(Date.now() - 600_000).toISOString(),
    });
  const ready = async (on: Instance) => call(on.base, '/api/ready', null);

  beforeAll(async () => {
    cluster = await ownRedisPair('redis_outage', mails);
    ({ redis, A, B } = cluster);
    alice = await signup(A.base, 'alice@outage.example', mails);
    bob = await signup(B.base, 'bob@outage.example', mails);
    staff = await signup(B.base, 'staff@outage.example', mails);
    havre(['staff', 'grant', '--email', staff.email, '--territory', '75117'], cluster.env);
    await befriend(alice, A, bob, B);
    trip = await share(alice, A, bob, B);
  }, 300_000);

  afterAll(async () => {
    for (const client of sockets) client.ws.terminate();
    for (const feed of feeds) feed.close();
    await cluster?.close();
  });

  it('keeps serving without Redis, tells clients, and recovers by itself when Redis is back', async () => {
    // Before: positions cross from A to B, and both instances are ready.
    let sharer = await open(A, alice);
    let watcher = await open(B, bob);
    await sharer.join(trip.id);
    expect(await watcher.join(trip.id)).toMatchObject({ access: 'live' });
    sharer.send({ type: 'pos', share: trip.id, seq: 1, c: await seal(trip, 1) });
    await until(() => positions(watcher, trip.id).includes(1), 'position 1 on B');
    const dashboard = await openSse(`${B.base}/api/territories/75117/live`, staff.auth);
    feeds.push(dashboard);
    await dashboard.next('snapshot');
    expect((await ready(A)).json).toEqual({ status: 'ready', database: true, redis: true });

    await redis.stop();

    // Clients are told: live delivery across instances is interrupted.
    await sharer.type('degraded');
    await watcher.type('degraded');
    await dashboard.next('degraded');
    for (const instance of [A, B]) {
      const state = await ready(instance);
      expect(state.status).toBe(503);
      expect(state.json).toEqual({ status: 'unavailable', database: true, redis: false });
      expect((await call(instance.base, '/api/health', null)).status).toBe(200);
    }
    // What does not need Redis works: a report, a new share, positions acknowledged (durable).
    expect((await report(A)).status).toBe(201);
    const other = await share(alice, A, bob, B);
    for (let seq = 2; seq <= 4; seq++)
      sharer.send({ type: 'pos', share: trip.id, seq, c: await seal(trip, seq) });
    await until(() => acks(sharer).includes(4), 'positions acknowledged on A');
    // The watcher on B does not get them live, but the stored trail is there for `since`.
    watcher.send({ type: 'since', share: trip.id, seq: 1 });
    await until(() => [2, 3, 4].every((s) => positions(watcher, trip.id).includes(s)), 'the trail on B');
    // Ending a session announces it on the bus: it must not fail for that.
    expect((await call(A.base, `/api/shares/${other.id}/arrived`, alice, {})).status).toBe(200);
    // What needs Redis (login throttling) answers 503 problem+json at once, not a hang or a 500.
    const login = await call(B.base, '/api/auth/login', null, {
      email: bob.email,
      password: 'correct-horse-battery',
    });
    expect(login.status).toBe(503);
    expect(login.type).toContain('application/problem+json');
    expect(login.json.code).toBe('HAVRE_ERR_UNAVAILABLE');

    await redis.start();

    // Back by itself: ready, and every client is asked to reconnect and catch up.
    for (const instance of [A, B])
      await until(async () => (await ready(instance)).status === 200, 'ready again');
    expect((await sharer.closed).code).toBe(1012);
    expect((await watcher.closed).code).toBe(1012);
    await until(() => dashboard.ended(), 'the dashboard stream to end');

    sharer = await open(A, alice);
    watcher = await open(B, bob);
    await sharer.join(trip.id);
    await watcher.join(trip.id);
    sharer.send({ type: 'pos', share: trip.id, seq: 5, c: await seal(trip, 5) });
    await until(() => positions(watcher, trip.id).includes(5), 'position 5 live on B again');
    const again = await openSse(`${B.base}/api/territories/75117/live`, staff.auth);
    feeds.push(again);
    const snapshot = await again.next('snapshot');
    expect((await report(A)).status).toBe(201);
    expect((await again.next('cells')).total).toBe((snapshot.total as number) + 1);
    const login2 = await call(B.base, '/api/auth/login', null, {
      email: bob.email,
      password: 'correct-horse-battery',
    });
    expect(login2.status).toBe(200);

    expect(A.alive() && B.alive()).toBe(true);
    expect(A.output() + B.output()).not.toMatch(/unhandled|uncaught/i);
  }, 120_000);
});
