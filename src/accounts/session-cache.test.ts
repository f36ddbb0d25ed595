import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, TEST_PASSWORD, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends, REDIS_URL } from '../../test/helpers/backends.ts';
import { addTerritories, postReport, reportBody } from '../../test/helpers/reports.ts';
import type { CurrentUser } from './policies.ts';
import { SESSION_CACHE_TTL_MS, SessionCache, sessionCache } from './session-cache.ts';
import { revokeStaff } from './store.ts';
import { hashToken } from './tokens.ts';

const user = (id: string): CurrentUser => ({
  id,
  email: `${id}@test.example`,
  roles: ['citizen'],
  territories: [],
  emailVerified: true,
});

describe('SessionCache', () => {
  it('trusts an entry for the TTL at most, and never past the session’s expiry', () => {
    const cache = new SessionCache();
    cache.set('h1', user('u1'), 1_000_000, 0, cache.generation);
    cache.set('h2', user('u2'), 500, 0, cache.generation);
    expect(cache.get('h1', SESSION_CACHE_TTL_MS - 1)?.id).toBe('u1');
    expect(cache.get('h1', SESSION_CACHE_TTL_MS)).toBeNull();
    expect(cache.get('h2', 499)?.id).toBe('u2');
    expect(cache.get('h2', 500)).toBeNull();
  });

  it('forgets one session, every session of a user, or everything', () => {
    const cache = new SessionCache();
    for (const [hash, id] of [
      ['a1', 'a'],
      ['a2', 'a'],
      ['b1', 'b'],
      ['c1', 'c'],
    ])
      cache.set(hash, user(id), 1e9, 0, cache.generation);
    cache.forget({ tokenHash: 'b1' });
    expect(cache.get('b1', 1)).toBeNull();
    cache.forget({ userId: 'a' });
    expect([cache.get('a1', 1), cache.get('a2', 1)]).toEqual([null, null]);
    expect(cache.get('c1', 1)?.id).toBe('c');
    cache.forget({ all: true });
    expect(cache.size).toBe(0);
  });

  it('does not cache a resolution that started before a change (it may have read the old state)', () => {
    const cache = new SessionCache();
    const before = cache.generation;
    cache.forget({ userId: 'u1' }); // e.g. a logout committed while the database was being read
    cache.set('h1', user('u1'), 1e9, 0, before);
    expect(cache.get('h1', 1)).toBeNull();
  });

  it('hands out frozen users (shared by concurrent requests)', () => {
    const cache = new SessionCache();
    cache.set('h1', user('u1'), 1e9, 0, cache.generation);
    const got = cache.get('h1', 1) as CurrentUser;
    expect(Object.isFrozen(got) && Object.isFrozen(got.roles) && Object.isFrozen(got.territories)).toBe(true);
  });
});

// Two instances on one database. With Redis, changes travel on the bus; on SQLite without it,
// the second instance sees the changes the other committed (account_changes, noted by triggers).
const setups = backends().flatMap((backend) =>
  REDIS_URL
    ? [[backend, 'Redis bus'] as const, ...(backend === 'sqlite' ? [[backend, 'no bus'] as const] : [])]
    : backend === 'sqlite'
      ? [[backend, 'no bus'] as const]
      : [],
);

describe.each(setups)('signed-in users cached on two instances (%s, %s)', (backend, bus) => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    const env: Record<string, string> = bus === 'Redis bus' ? { HAVRE_REDIS_URL: REDIS_URL as string } : {};
    a = await makeTestApp(backend, { env });
    b = await makeTestApp(backend, { env, databaseOf: a });
    await addTerritories(a, ['75117']);
    await addTerritories(b, ['75117']);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const me = (t: TestApp, auth: Record<string, string>) => t.app.inject({ url: '/api/me', headers: auth });
  const heatmap = (t: TestApp, auth: Record<string, string>) =>
    t.app.inject({ url: '/api/territories/75117/heatmap', headers: auth });

  it('refuses a session on B as soon as it is logged out on A', async () => {
    const citizen = await userWith(a);
    expect((await me(b, citizen.auth)).statusCode).toBe(200);
    expect(sessionCache(b.services).get(hashToken(citizen.token), b.clock.now())?.id).toBe(citizen.id);
    expect(
      (await a.app.inject({ method: 'POST', url: '/api/auth/logout', headers: citizen.auth })).statusCode,
    ).toBe(204);
    expect((await me(b, citizen.auth)).statusCode).toBe(401);
    expect((await me(a, citizen.auth)).statusCode).toBe(401);
  });

  it('applies a staff grant and revocation made on A to the next request on B', async () => {
    const admin = await userWith(a, { roles: ['admin'] });
    const staff = await userWith(a);
    expect((await heatmap(b, staff.auth)).statusCode).toBe(403);
    const grant = (method: 'POST' | 'DELETE') =>
      a.app.inject({
        method,
        url: '/api/admin/staff',
        headers: admin.auth,
        payload: { email: staff.email, territory: '75117' },
      });
    expect((await grant('POST')).statusCode).toBe(204);
    expect((await heatmap(b, staff.auth)).statusCode).toBe(200);
    expect((await grant('DELETE')).statusCode).toBe(204);
    expect((await heatmap(b, staff.auth)).statusCode).toBe(403);
  });

  it('refuses the sessions of an account erased on A', async () => {
    const citizen = await userWith(a);
    expect((await me(b, citizen.auth)).statusCode).toBe(200);
    const erased = await a.app.inject({
      method: 'DELETE',
      url: '/api/me',
      headers: citizen.auth,
      payload: { password: TEST_PASSWORD },
    });
    expect(erased.statusCode).toBe(204);
    expect((await me(b, citizen.auth)).statusCode).toBe(401);
  });

  it.runIf(backend === 'sqlite')(
    'keeps its entries while other connections commit reports (the intake worker threads)',
    async () => {
      const citizen = await userWith(a);
      expect((await me(a, citizen.auth)).statusCode).toBe(200);
      expect((await me(b, citizen.auth)).statusCode).toBe(200);
      // Committed by A's worker thread: another connection for both A and B.
      expect((await postReport(a, citizen.auth, reportBody(a))).statusCode).toBe(201);
      for (const t of [a, b])
        expect(sessionCache(t.services).get(hashToken(citizen.token), t.clock.now())?.id).toBe(citizen.id);
    },
  );

  it.runIf(backend === 'sqlite')(
    'forgets what another process changed without telling (the CLI revoking staff)',
    async () => {
      const staff = await userWith(a, { roles: ['staff'], territories: ['75117'] });
      expect((await heatmap(b, staff.auth)).statusCode).toBe(200);
      // What `havre staff revoke` does from its own process, without a bus: a plain commit.
      await revokeStaff(a.services.db.kysely, staff.id, '75117');
      expect((await heatmap(b, staff.auth)).statusCode).toBe(403);
    },
  );
});
