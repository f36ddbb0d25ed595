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
}

export async function createServices(config: Config, overrides: ServiceOverrides = {}): Promise<Services> {
  const log = overrides.log ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? systemClock;
  const db = await openDatabase(config.databaseUrl, overrides.db);
  await migrateToLatest(db);
  // Without Redis, the in-process implementations serve one instance unchanged.
  const bus: Bus = config.redisUrl ? new RedisBus(config.redisUrl) : new MemoryBus();
  const counters: Counters = config.redisUrl
    ? new RedisCounters(config.redisUrl)
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
