/**
 * Windowed counters in Redis (INCR + PEXPIRE on first hit), shared by every instance.
 *
 * Once connected, commands fail at once while Redis is away (no offline queue): a login
 * waiting seconds for reconnection attempts would hold its request, and every request would
 * wait in the rate limiter (which skips a failing Redis). The failure carries the code
 * REDIS_UNAVAILABLE, which the error handler answers with 503.
 */
import { Redis } from 'ioredis';
import type { Counters } from './counters.ts';

export class RedisUnavailableError extends Error {
  readonly code = 'REDIS_UNAVAILABLE';
  constructor(cause: unknown) {
    super('Redis unavailable', { cause });
  }
}

export class RedisCounters implements Counters {
  /** Also used by the HTTP rate limiter, so every instance counts the same requests. */
  readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix = 'havre:count:',
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 2 });
    this.redis.on('error', () => {});
    // Queue commands only while first connecting (boot), never during an outage.
    this.redis.once('ready', () => {
      this.redis.options.enableOfflineQueue = false;
    });
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw new RedisUnavailableError(error);
    }
  }

  async hit(key: string, windowMs: number): Promise<number> {
    const k = this.prefix + key;
    const [[, count]] = (await this.run(() =>
      this.redis.multi().incr(k).pexpire(k, windowMs, 'NX').exec(),
    )) as [[Error | null, number], unknown];
    return count;
  }

  async get(key: string): Promise<number> {
    return Number((await this.run(() => this.redis.get(this.prefix + key))) ?? 0);
  }

  async reset(key: string): Promise<void> {
    await this.run(() => this.redis.del(this.prefix + key));
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
