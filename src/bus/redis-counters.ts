/**
 * Windowed counters in Redis (INCR + PEXPIRE on first hit), shared by every instance.
 *
 * Commands fail at once while Redis is away (no offline queue), from the start on: a login
 * waiting for reconnection attempts would hold its request, and every request would wait in
 * the rate limiter (which skips a failing Redis). Queuing until the first connection made an
 * instance started while Redis was away answer everything, /api/health included, seconds late
 * (and logins 503 after 11 s) until Redis came. The failure carries the code REDIS_UNAVAILABLE,
 * which the error handler answers with 503. `start` waits for the first connection, so that
 * requests right after a normal start find it ready, and says when there is none.
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Counters } from './counters.ts';

/** How long a start waits for Redis before serving without it (ioredis keeps trying). */
const FIRST_CONNECTION_MS = 2_000;

export class RedisUnavailableError extends Error {
  readonly code = 'REDIS_UNAVAILABLE';
  constructor(cause: unknown) {
    super('Redis unavailable', { cause });
  }
}

export class RedisCounters implements Counters {
  /** Also used by the HTTP rate limiter, so every instance counts the same requests. */
  readonly redis: Redis;

  /** Settles once the first connection is decided: true when ready, false when it failed or is late. */
  readonly firstConnection: Promise<boolean>;

  constructor(
    url: string,
    private readonly prefix = 'havre:count:',
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: false });
    this.redis.on('error', () => {});
    this.firstConnection = new Promise((resolve) => {
      const decide = (up: boolean) => {
        clearTimeout(late);
        this.redis.off('ready', ready).off('error', failed);
        resolve(up);
      };
      const ready = () => decide(true);
      const failed = () => decide(false);
      const late = setTimeout(failed, FIRST_CONNECTION_MS);
      late.unref();
      this.redis.once('ready', ready).once('error', failed);
    });
  }

  /**
   * Counters for the instance being started: waits for the first connection, and when there
   * is none tells the operator (not the address: the URL may hold a password) what that means.
   */
  static async start(url: string, log: Logger): Promise<RedisCounters> {
    const counters = new RedisCounters(url);
    if (!(await counters.firstConnection)) {
      log.warn(
        'Redis (HAVRE_REDIS_URL) cannot be reached: serving without it until it answers (retried ' +
          'in the background); what needs it answers 503 HAVRE_ERR_UNAVAILABLE at once, rate ' +
          'limits are not counted (docs/DEPLOY.md, "When Redis or PostgreSQL goes away")',
      );
      counters.redis.once('ready', () => log.info('Redis (HAVRE_REDIS_URL) reached'));
    }
    return counters;
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    // Without an offline queue, a command sent while the first connection is still being made
    // would fail although Redis is there; that wait is bounded (FIRST_CONNECTION_MS), once.
    await this.firstConnection;
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
