/** Windowed counters in Redis (INCR + PEXPIRE on first hit), shared by every instance. */
import { Redis } from 'ioredis';
import type { Counters } from './counters.ts';

export class RedisCounters implements Counters {
  /** Also used by the HTTP rate limiter, so every instance counts the same requests. */
  readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix = 'havre:count:',
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 2 });
    this.redis.on('error', () => {});
  }

  async hit(key: string, windowMs: number): Promise<number> {
    const k = this.prefix + key;
    const [[, count]] = (await this.redis.multi().incr(k).pexpire(k, windowMs, 'NX').exec()) as [
      [Error | null, number],
      unknown,
    ];
    return count;
  }

  async get(key: string): Promise<number> {
    return Number((await this.redis.get(this.prefix + key)) ?? 0);
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
