/**
 * An instance started while Redis is away (HAVRE_REDIS_URL on a closed port) serves at once:
 * no request waits in the rate limiter for a connection that is not there, counters fail fast
 * (503 HAVRE_ERR_UNAVAILABLE where they are needed), and the start says so in the log.
 * The bounds are generous (a loaded machine), far below the seconds each request took.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../test/helpers/app.ts';
import { RedisCounters, RedisUnavailableError } from './redis-counters.ts';

const CLOSED = 'redis://127.0.0.1:1';

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

describe('counters with Redis unreachable from the start', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await makeTestApp('sqlite', {
      rateLimit: true,
      logLevel: 'warn',
      env: { HAVRE_REDIS_URL: CLOSED },
    });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers /api/health and rate-limited API routes at once', async () => {
    for (const path of ['/api/health', '/api/config', '/api/health']) {
      const { ms, value: res } = await timed(() => fetch(`${base}${path}`));
      expect(res.status, path).toBe(200);
      await res.body?.cancel();
      expect(ms, path).toBeLessThan(750);
    }
  });

  it('fails counter commands at once with REDIS_UNAVAILABLE (answered 503)', async () => {
    const counters = t.services.counters as RedisCounters;
    for (const command of [
      () => counters.hit('k', 60_000),
      () => counters.get('k'),
      () => counters.reset('k'),
    ]) {
      const { ms, value: error } = await timed(() =>
        command().then(
          () => null,
          (e: unknown) => e,
        ),
      );
      expect(error).toBeInstanceOf(RedisUnavailableError);
      expect((error as RedisUnavailableError).code).toBe('REDIS_UNAVAILABLE');
      expect(ms).toBeLessThan(750);
    }
  });

  it('logs one warning at start, without the Redis address', () => {
    const warnings = t.logs.lines.filter((line) => line.includes('HAVRE_REDIS_URL'));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0]).level).toBe(40);
    expect(warnings[0]).toContain('cannot be reached');
    expect(warnings[0]).not.toContain('127.0.0.1:1');
  });

  it('stops at once: the bus does not wait for Redis to unsubscribe (it waited ~5 s)', async () => {
    // Long enough up for ioredis's reconnection delays to grow, as in a server that runs.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const { ms } = await timed(() => t.close());
    t = undefined as unknown as TestApp;
    expect(ms).toBeLessThan(1_500);
  });
});

describe('counters created alone', () => {
  it('settle their first connection as failed quickly when nothing listens', async () => {
    const counters = new RedisCounters(CLOSED);
    try {
      const { ms, value } = await timed(() => counters.firstConnection);
      expect(value).toBe(false);
      expect(ms).toBeLessThan(1_500);
    } finally {
      await counters.close();
    }
  });
});
