/**
 * The set-up of the journeys that take Redis or the server away from Alice while Bob follows
 * her: a real Havre (built PWA + server + SQLite with the demo seed) whose shared bus is a
 * redis-server of the journey's own, and Alice's and Bob's phones signed in at `start`.
 */
import type { Browser } from 'playwright-core';
import { dedicatedRedis, type RedisProcess } from '../../helpers/instances.ts';
import { launchBrowser, type PhonePage } from './browser.ts';
import { type E2eServer, startE2eServer } from './server.ts';
import { signedInPhone } from './sign-in.ts';

export const ALICE = 'alice@havre.example';
export const BOB = 'bob@havre.example';

export interface TwoPhonesOwnRedis {
  redis: RedisProcess;
  server: E2eServer;
  browser: Browser;
  alice: PhonePage;
  bob: PhonePage;
  /** Closes what was started, the phones first. */
  close(): Promise<void>;
}

export async function twoPhonesOwnRedis(start: {
  latitude: number;
  longitude: number;
}): Promise<TwoPhonesOwnRedis> {
  const started: Partial<Omit<TwoPhonesOwnRedis, 'close'>> = {};
  const close = async () => {
    await started.alice?.close();
    await started.bob?.close();
    await started.browser?.close();
    await started.server?.stop();
    await started.redis?.stop();
  };
  try {
    started.redis = await dedicatedRedis();
    started.server = await startE2eServer({ HAVRE_REDIS_URL: started.redis.url });
    started.browser = await launchBrowser();
    started.alice = await signedInPhone(started.browser, started.server.url, ALICE, start);
    started.bob = await signedInPhone(started.browser, started.server.url, BOB, start);
    return { ...(started as Omit<TwoPhonesOwnRedis, 'close'>), close };
  } catch (error) {
    // A set-up that fails half-way must not leave a server, a Redis or a browser behind.
    await close().catch(() => {});
    throw error;
  }
}
