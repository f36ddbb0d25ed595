import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeTestApp, type TestApp } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import { acquireLease, releaseLease } from './lease.ts';
import { FIRST_RUN, LEASE_MIN_MS, leaseTerms, startScheduler } from './scheduler.ts';

describe.each(backends())('leases and scheduler on %s', (backend) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(backend);
  });
  afterEach(async () => {
    await t.close();
  });

  it('gives a lease to one holder at a time, and to another once it expired', async () => {
    const k = t.services.db.kysely;
    const now = t.clock.now();
    const a = await acquireLease(k, 'job', 'A', 10_000, now);
    expect(a).toBe(1);
    expect(await acquireLease(k, 'job', 'B', 10_000, now + 5_000)).toBeNull();
    expect(await acquireLease(k, 'job', 'A', 10_000, now + 5_000)).toBe(1); // renewal keeps the fence
    const b = await acquireLease(k, 'job', 'B', 10_000, now + 20_000);
    expect(b).toBe(2); // taken over after expiry: a higher fence
    expect(await acquireLease(k, 'job', 'A', 10_000, now + 21_000)).toBeNull();
    await releaseLease(k, 'job', 'B');
    expect(await acquireLease(k, 'job', 'A', 10_000, now + 21_000)).toBe(3);
  });

  it('keeps a lease that has long enough to run without writing it, and renews it once it has not', async () => {
    const k = t.services.db.kysely;
    const now = t.clock.now();
    const expiry = async () =>
      (await k.selectFrom('leases').select('expires_at').where('name', '=', 'job').executeTakeFirstOrThrow())
        .expires_at;
    expect(await acquireLease(k, 'job', 'A', 30_000, now, 10_000)).toBe(1);
    expect(await expiry()).toBe(now + 30_000);
    expect(await acquireLease(k, 'job', 'A', 30_000, now + 20_000, 10_000)).toBe(1); // 10 s left: kept
    expect(await expiry()).toBe(now + 30_000);
    expect(await acquireLease(k, 'job', 'B', 30_000, now + 20_000, 10_000)).toBeNull();
    expect(await acquireLease(k, 'job', 'A', 30_000, now + 20_001, 10_000)).toBe(1); // less: renewed
    expect(await expiry()).toBe(now + 50_001);
    expect(await acquireLease(k, 'job', 'B', 30_000, now + 50_001, 10_000)).toBe(2); // expired: taken over
  });

  it('gives a 5 s job a 20 s lease renewed every 10 s, and slower jobs two periods', () => {
    expect(leaseTerms(5_000)).toEqual({ ttlMs: LEASE_MIN_MS, renewBelowMs: 10_000 });
    expect(LEASE_MIN_MS).toBe(20_000);
    expect(leaseTerms(3_600_000)).toEqual({ ttlMs: 7_200_000, renewBelowMs: 7_200_000 });
  });

  it('lets exactly one of several racing holders win', async () => {
    const k = t.services.db.kysely;
    const now = t.clock.now();
    const results = await Promise.all(
      ['A', 'B', 'C', 'D'].map((h) => acquireLease(k, 'race', h, 10_000, now)),
    );
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });

  it('runs a job on only one of two schedulers sharing the database', async () => {
    let runs = 0;
    const job = {
      name: 'count',
      everyMs: 60_000,
      run: async () => {
        runs += 1;
      },
    };
    const one = startScheduler(t.services, [job], 'instance-1');
    const two = startScheduler(t.services, [job], 'instance-2');
    await Promise.all([one.runAll(), two.runAll()]);
    expect(runs).toBe(1);
    await one.stop();
    await two.runAll(); // the first released its lease on stop
    expect(runs).toBe(2);
    await two.stop();
  });

  it('runs an hourly job once soon after start, on one of two instances, and not again within the half hour', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    try {
      const runs: string[] = [];
      const job = (holder: string) => ({
        name: 'hourly',
        everyMs: 3_600_000,
        run: async () => {
          runs.push(holder);
        },
      });
      expect(FIRST_RUN.delayMs + FIRST_RUN.jitterMs).toBeLessThan(60_000); // "soon": within a minute
      // Their first runs fall at different points of the jitter (half of it, and 90 %).
      const one = startScheduler(t.services, [job('one')], 'instance-1', () => 0.5);
      const two = startScheduler(t.services, [job('two')], 'instance-2', () => 0.9);
      const firstOne = FIRST_RUN.delayMs + FIRST_RUN.jitterMs * 0.5;
      await vi.advanceTimersByTimeAsync(firstOne - 1);
      expect(runs).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      await vi.waitFor(() => expect(runs).toEqual(['one']));
      // The second instance asks for the lease later, while the first holds it.
      await vi.advanceTimersByTimeAsync(FIRST_RUN.jitterMs);
      await vi.advanceTimersByTimeAsync(30 * 60_000); // half an hour more: no other run
      await two.stop(); // waits for what it started
      expect(runs).toEqual(['one']);
      expect(one.held()).toEqual(['hourly']);
      await one.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('leaves a job whose period is not longer than the first delay to its period (5 s check-in timers)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    try {
      let runs = 0;
      const job = { name: 'often', everyMs: FIRST_RUN.delayMs, run: async () => void runs++ };
      const scheduler = startScheduler(t.services, [job], 'instance-1', () => 0);
      await vi.advanceTimersByTimeAsync(FIRST_RUN.delayMs - 1);
      expect(runs).toBe(0);
      await vi.advanceTimersByTimeAsync(1);
      await scheduler.stop(); // waits for the run it started
      expect(runs).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('leases on SQLite', () => {
  it('a job whose lease has long enough to run takes no write lock (the trail worker may hold it)', async () => {
    const t = await makeTestApp('sqlite');
    const other = new Database(t.services.db.sqlite!.name);
    try {
      let runs = 0;
      const job = {
        name: 'often',
        everyMs: 5_000,
        run: async () => {
          runs += 1;
        },
      };
      const scheduler = startScheduler(t.services, [job], 'instance-1');
      await scheduler.runAll(); // takes the lease: a write
      // Another connection holds the write lock; a write here would fail at once.
      t.services.db.sqlite!.pragma('busy_timeout = 0');
      other.prepare('BEGIN IMMEDIATE').run();
      t.clock.advance(5_000);
      await scheduler.runAll();
      t.clock.advance(5_000);
      await scheduler.runAll();
      expect(runs).toBe(3);
      expect(scheduler.held()).toEqual(['often']);
      other.prepare('ROLLBACK').run();
      t.services.db.sqlite!.pragma('busy_timeout = 5000');
      await scheduler.stop();
    } finally {
      other.close();
      await t.close();
    }
  });
});
