/**
 * The cluster of the Redis outage tests: two `havre serve` instances (A and B) on one fresh
 * PostgreSQL database, a redis-server of the test's own (to kill and start again) and a local
 * SMTP server whose messages land in `mails`. `close` stops everything that was started, also
 * after a set-up that failed half-way.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SMTPServer } from 'smtp-server';
import {
  clusterEnv,
  dedicatedRedis,
  freePort,
  type Instance,
  type RedisProcess,
  spawnHavre,
} from './instances.ts';
import { freshPostgresDatabase } from './postgres-database.ts';
import { type Received, startSmtp } from './smtp.ts';

export interface OwnRedisPair {
  database: Awaited<ReturnType<typeof freshPostgresDatabase>>;
  redis: RedisProcess;
  /** The instances' environment (also for `havre` CLI calls on the same database). */
  env: Record<string, string>;
  A: Instance;
  B: Instance;
  close(): Promise<void>;
}

export async function ownRedisPair(name: string, mails: Received[]): Promise<OwnRedisPair> {
  const started: Partial<OwnRedisPair> & { dir?: string; smtp?: SMTPServer } = {};
  const close = async () => {
    await started.A?.kill();
    await started.B?.kill();
    await started.redis?.stop();
    await new Promise<void>((resolve) => (started.smtp ? started.smtp.close(() => resolve()) : resolve()));
    await started.database?.drop();
    if (started.dir) rmSync(started.dir, { recursive: true, force: true });
  };
  try {
    started.database = await freshPostgresDatabase(`havre_${name}`);
    started.redis = await dedicatedRedis();
    const dir = mkdtempSync(join(tmpdir(), `havre-${name.replaceAll('_', '-')}-`));
    started.dir = dir;
    const smtpPort = await freePort();
    started.smtp = await startSmtp(smtpPort, mails);
    const env = clusterEnv({ databaseUrl: started.database.url, redisUrl: started.redis.url, smtpPort, dir });
    started.env = env;
    started.A = await spawnHavre('A', { ...env, HAVRE_DATA_DIR: join(dir, 'A') });
    started.B = await spawnHavre('B', { ...env, HAVRE_DATA_DIR: join(dir, 'B') });
    const { database, redis, A, B } = started as OwnRedisPair;
    return { database, redis, env, A, B, close };
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}
