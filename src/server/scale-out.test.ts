import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, userWith } from '../../test/helpers/app.ts';
import { REDIS_URL } from '../../test/helpers/backends.ts';
import { addDevice, befriend, Client, listen, startShare } from '../../test/helpers/sharing.ts';

// Instances of one deployment share HAVRE_SECRET (throttling keys are HMACs of it); each run
// gets its own, so counters left in the shared Redis by an earlier run cannot interfere.
const CLUSTER_SECRET = `cluster-${randomBytes(16).toString('hex')}`;
const cluster = (env: Record<string, string>) => ({ ...env, HAVRE_SECRET: CLUSTER_SECRET });

describe.runIf(REDIS_URL)('two instances sharing Redis', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    const namespace = `havre-test-rl-${randomBytes(4).toString('hex')}:`;
    const env = cluster({ HAVRE_REDIS_URL: REDIS_URL!, HAVRE_RATE_LIMIT: '6' });
    a = await makeTestApp('sqlite', { env, rateLimit: true, rateLimitNamespace: namespace });
    b = await makeTestApp('sqlite', { env, rateLimit: true, rateLimitNamespace: namespace });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('counts one client’s requests across both instances for the rate limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await a.app.inject({ url: '/api/health' })).statusCode);
      statuses.push((await b.app.inject({ url: '/api/health' })).statusCode);
    }
    expect(statuses.slice(0, 6)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(statuses.slice(6)).toEqual([429, 429]);
  });

  it('delivers a bus message published by one instance to the other', async () => {
    const got: unknown[] = [];
    await b.services.bus.subscribe('test.topic', (m) => got.push(m));
    await a.services.bus.publish('test.topic', { hello: 'b' });
    await expect.poll(() => got).toEqual([{ hello: 'b' }]);
  });
});

describe.runIf(REDIS_URL)('login throttling across instances', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await makeTestApp('sqlite', { env: cluster({ HAVRE_REDIS_URL: REDIS_URL! }) });
    b = await makeTestApp('sqlite', { env: cluster({ HAVRE_REDIS_URL: REDIS_URL! }) });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('reports ready with Redis reachable', async () => {
    const res = await a.app.inject({ url: '/api/ready' });
    expect(res.json()).toEqual({ status: 'ready', database: true, redis: true });
  });

  it('blocks an account on instance B after 5 failures on instance A', async () => {
    const email = `target-${randomBytes(4).toString('hex')}@example.org`;
    for (let i = 0; i < 5; i++) {
      const res = await a.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email, password: 'guess-guess' },
      });
      expect(res.statusCode).toBe(401);
    }
    const onB = await b.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password: 'guess-guess' },
    });
    expect(onB.statusCode).toBe(429);
    expect(onB.json().code).toBe('HAVRE_ERR_LOGIN_THROTTLED');
  });
});

describe.runIf(REDIS_URL)('sign-out across instances (one database, Redis bus)', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await makeTestApp('sqlite', { env: cluster({ HAVRE_REDIS_URL: REDIS_URL! }) });
    b = await makeTestApp('sqlite', {
      env: cluster({ HAVRE_REDIS_URL: REDIS_URL!, HAVRE_DATABASE_URL: a.backend.databaseUrl }),
    });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('closes a socket held by instance B when its session logs out through instance A (4401)', async () => {
    const alice = await userWith(a);
    const bob = await userWith(a);
    await befriend(a, alice, bob);
    const share = await startShare(a, alice, [await addDevice(a, bob)]);
    const watcher = await Client.open(await listen(b));
    try {
      expect(await watcher.join(share.id, { token: bob.token })).toMatchObject({ type: 'joined' });
      const out = await a.app.inject({ method: 'POST', url: '/api/auth/logout', headers: bob.auth });
      expect(out.statusCode).toBe(204);
      expect((await watcher.closed).code).toBe(4401);
    } finally {
      watcher.ws.terminate();
    }
  });
});
