/**
 * What the routes and jobs of Havre need, chosen by configuration and built once.
 * Tests build their own (temporary database, fake clock, in-memory bus).
 */
import type { Logger } from 'pino';
import { type Bus, MemoryBus } from '../bus/bus.ts';
import { type Counters, MemoryCounters } from '../bus/counters.ts';
import { RedisBus } from '../bus/redis-bus.ts';
import { RedisCounters } from '../bus/redis-counters.ts';
import { type Db, type DbOptions, openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createMailTransport, type MailTransport } from '../notify/mail-transport.ts';
import { startOutboxWorker } from '../notify/outbox.ts';
import { type PushTransport, webPushTransport } from '../notify/push.ts';
import { devSmsGateway, type SmsGateway } from '../notify/sms.ts';
import type { Config } from './config.ts';
import { createLogger } from './logger.ts';

export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

export interface Services {
  config: Config;
  db: Db;
  bus: Bus;
  counters: Counters;
  mail: MailTransport;
  push: PushTransport;
  sms: SmsGateway;
  clock: Clock;
  log: Logger;
  /** Delivers queued messages; `kick()` after an enqueue delivers right away. */
  outbox: { kick(): void; stop(): Promise<void> };
  /** Closes everything this object opened, in reverse order. */
  close(): Promise<void>;
}

export interface ServiceOverrides {
  db?: DbOptions;
  clock?: Clock;
  mail?: MailTransport;
  push?: PushTransport;
  sms?: SmsGateway;
  log?: Logger;
  outboxIntervalMs?: number;
  /**
   * Bring the schema to this version first (default true: the server, tests). The maintenance
   * commands pass false and check it themselves (src/cli/context.ts): some migrations need every
   * instance of the previous release stopped first (docs/DEPLOY.md §5), and a backup taken
   * before an upgrade must hold the schema as it was.
   */
  migrate?: boolean;
}

export async function createServices(config: Config, overrides: ServiceOverrides = {}): Promise<Services> {
  const log = overrides.log ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? systemClock;
  const db = await openDatabase(config.databaseUrl, overrides.db);
  if (overrides.migrate !== false) await migrateToLatest(db);
  // Without Redis, the in-process implementations serve one instance unchanged.
  const bus: Bus = config.redisUrl ? new RedisBus(config.redisUrl) : new MemoryBus();
  const counters: Counters = config.redisUrl
    ? await RedisCounters.start(config.redisUrl, log)
    : new MemoryCounters(() => clock.now());
  const mail = overrides.mail ?? createMailTransport(config);
  const services: Services = {
    config,
    db,
    bus,
    counters,
    mail,
    push: overrides.push ?? webPushTransport(db.kysely, config, () => clock.now()),
    sms: overrides.sms ?? devSmsGateway(db.kysely, () => clock.now()),
    clock,
    log,
    outbox: { kick() {}, async stop() {} },
    async close() {
      await services.outbox.stop();
      await bus.close();
      await counters.close?.();
      await mail.close();
      await db.close();
    },
  };
  services.outbox = startOutboxWorker(services, overrides.outboxIntervalMs);
  return services;
}
