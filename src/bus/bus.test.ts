import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { REDIS_URL } from '../../test/helpers/backends.ts';
import { dedicatedRedis, hasRedisServer } from '../../test/helpers/instances.ts';
import { type Bus, MemoryBus } from './bus.ts';
import { type Counters, MemoryCounters } from './counters.ts';
import { RedisBus } from './redis-bus.ts';
import { RedisCounters } from './redis-counters.ts';

type BusPair = { a: Bus; b: Bus; close(): Promise<void> };

const kinds: [string, () => BusPair][] = [
  [
    'memory',
    () => {
      const bus = new MemoryBus();
      return { a: bus, b: bus, close: () => bus.close() };
    },
  ],
];
const redisUrl = REDIS_URL;
if (redisUrl) {
  kinds.push([
    'redis',
    () => {
      const prefix = `havre-test-${randomBytes(4).toString('hex')}:`;
      const a = new RedisBus(redisUrl, prefix);
      const b = new RedisBus(redisUrl, prefix);
      return {
        a,
        b,
        close: async () => {
          await a.close();
          await b.close();
        },
      };
    },
  ]);
}

describe.each(kinds)('%s bus', (_name, make) => {
  it('delivers a message published on one instance to the subscribers of another, as a copy', async () => {
    const { a, b, close } = make();
    const received: unknown[] = [];
    const unsubscribe = await b.subscribe('places.changed', (m) => received.push(m));
    const sent = { version: 3, nested: { ok: true } };
    await a.publish('places.changed', sent);
    await expect.poll(() => received).toEqual([sent]);
    expect(received[0]).not.toBe(sent);
    await unsubscribe();
    await a.publish('places.changed', { version: 4 });
    await new Promise((r) => setTimeout(r, 50));
    expect(received).toHaveLength(1);
    await close();
  });

  it('does not deliver other topics', async () => {
    const { a, b, close } = make();
    const received: unknown[] = [];
    await b.subscribe('one', (m) => received.push(m));
    await a.publish('two', 2);
    await a.publish('one', 1);
    await expect.poll(() => received).toEqual([1]);
    await close();
  });
});

const counterKinds: [string, () => Counters][] = [['memory', () => new MemoryCounters()]];
if (redisUrl)
  counterKinds.push([
    'redis',
    () => new RedisCounters(redisUrl, `havre-test-${randomBytes(4).toString('hex')}:`),
  ]);

describe.each(counterKinds)('%s counters', (_name, make) => {
  it('counts hits within a window and resets', async () => {
    const counters = make();
    expect(await counters.hit('k', 60_000)).toBe(1);
    expect(await counters.hit('k', 60_000)).toBe(2);
    expect(await counters.get('k')).toBe(2);
    await counters.reset('k');
    expect(await counters.get('k')).toBe(0);
    await counters.close?.();
  });

  it('forgets hits once the window has passed', async () => {
    const counters = make();
    await counters.hit('w', 30);
    await new Promise((r) => setTimeout(r, 80));
    expect(await counters.get('w')).toBe(0);
    await counters.close?.();
  });
});

describe.runIf(hasRedisServer)('a Redis bus started while Redis is away', () => {
  it('says it is down, publishes without waiting, and recovers when Redis comes', async () => {
    const redis = await dedicatedRedis();
    await redis.stop();
    const prefix = `havre-test-${randomBytes(4).toString('hex')}:`;
    const a = new RedisBus(redis.url, prefix);
    const b = new RedisBus(redis.url, prefix);
    try {
      const heard: boolean[] = [];
      a.onConnectionChange((up) => heard.push(up));
      await expect.poll(() => heard, { timeout: 10_000 }).toEqual([false]);
      // A listener that comes after the first failed attempt is told too.
      const late: boolean[] = [];
      a.onConnectionChange((up) => late.push(up));
      await expect.poll(() => late).toEqual([false]);

      const got: unknown[] = [];
      await b.subscribe('t', (m) => got.push(m));
      const local: unknown[] = [];
      await a.subscribe('t', (m) => local.push(m));
      // Local delivery works and the publish returns while Redis is still away (dropped).
      await a.publish('t', { n: 1 });
      expect(local).toEqual([{ n: 1 }]);
      expect(a.dropped).toBe(1);

      await redis.start();
      await expect.poll(() => heard, { timeout: 20_000 }).toEqual([false, true]);
      await expect.poll(() => b.healthy, { timeout: 20_000 }).toBe(true);
      // Subscriptions asked for while away are in place: messages cross again.
      await expect
        .poll(
          async () => {
            await a.publish('t', { n: 2 });
            return got.some((m) => (m as { n: number }).n === 2);
          },
          { timeout: 20_000 },
        )
        .toBe(true);
    } finally {
      await a.close();
      await b.close();
      await redis.stop();
    }
  }, 60_000);
});
