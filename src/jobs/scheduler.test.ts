import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import { acquireLease, releaseLease } from './lease.ts';
import { startScheduler } from './scheduler.ts';

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
});
