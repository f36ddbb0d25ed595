/**
 * Test factory: a real Havre app on a fresh database (SQLite file or PostgreSQL schema),
 * a fake clock, a mail transport that records what it sends, and helpers to sign in.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { hashPassword } from '../../src/accounts/passwords.ts';
import { createUser, grantRole, grantStaff } from '../../src/accounts/store.ts';
import type { Role } from '../../src/accounts/tables.ts';
import type { MailMessage, MailTransport } from '../../src/notify/mail-transport.ts';
import { type App, type AppOptions, buildApp } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/config.ts';
import { createLogger } from '../../src/server/logger.ts';
import { createServices, type Services } from '../../src/server/services.ts';
import { type Backend, dropSchema, freshBackend } from './backends.ts';
import { fromMigratedTemplate } from './migrated-template.ts';

export class FakeClock {
  constructor(public t = Date.parse('2026-11-28T21:00:00Z')) {}
  now = () => this.t;
  advance(ms: number) {
    this.t += ms;
  }
}

export class RecordingMail implements MailTransport {
  sent: MailMessage[] = [];
  failing = false;
  async send(message: MailMessage) {
    if (this.failing) throw Object.assign(new Error('SMTP down'), { code: 'ECONNREFUSED' });
    this.sent.push(message);
  }
  async close() {}
}

/** Every log line written by every test app of this test file: scanned after the file (test/setup/log-scan.ts). */
export const ALL_LOG_LINES: string[] = [];

/** Every log line the app wrote, for privacy scans. */
export class LogCapture extends Writable {
  lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    const lines = chunk.toString().split('\n').filter(Boolean);
    this.lines.push(...lines);
    ALL_LOG_LINES.push(...lines);
    done();
  }
}

export interface TestApp {
  app: App;
  services: Services;
  clock: FakeClock;
  mail: RecordingMail;
  logs: LogCapture;
  backend: Backend;
  close(): Promise<void>;
}

export async function makeTestApp(
  backendName: Backend['name'] = 'sqlite',
  options: AppOptions & {
    env?: Record<string, string>;
    /** A second instance on the database of this one (scale-out tests); its owner drops it. */
    databaseOf?: TestApp;
    /** A database made by the test itself (e.g. in a small tablespace), which the test drops. */
    database?: Backend;
    /** Log level of the app (default info: every request is logged, and scanned for privacy). */
    logLevel?: 'info' | 'warn';
  } = {},
): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'havre-test-'));
  const backend = options.databaseOf?.backend ?? options.database ?? freshBackend(backendName, dir);
  if (!options.databaseOf && !options.database) await fromMigratedTemplate(backend);
  const config = loadConfig({
    HAVRE_DATA_DIR: dir,
    HAVRE_DATABASE_URL: backend.databaseUrl,
    // Per app (a second instance shares its first's): HMAC-keyed counters may live in the shared
    // Redis, and must not carry over from one run to the next.
    HAVRE_SECRET:
      options.databaseOf?.services.config.secret ?? `test-secret-${randomBytes(16).toString('hex')}`,
    HAVRE_LOG_LEVEL: 'info',
    HAVRE_WEB_DIR: join(dir, 'no-web'),
    ...options.env,
  });
  const clock = new FakeClock();
  const mail = new RecordingMail();
  const logs = new LogCapture();
  const services = await createServices(config, {
    db: { schema: backend.schema, poolSize: 4 },
    clock: { now: clock.now },
    mail,
    log: createLogger(options.logLevel ?? 'info', logs),
    outboxIntervalMs: 50,
  });
  const app = await buildApp(services, {
    rateLimit: options.rateLimit ?? false,
    rateLimitNamespace: options.rateLimitNamespace,
  });
  await app.ready();
  return {
    app,
    services,
    clock,
    mail,
    logs,
    backend,
    async close() {
      await app.close();
      await services.close();
      if (!options.databaseOf && !options.database) await dropSchema(backend);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const TEST_PASSWORD = 'correct-horse-battery';

/** Hashed once per test process: argon2id is slow by design, and users are made by the hundred. */
let testPasswordHash: Promise<string> | null = null;
const hashedTestPassword = (): Promise<string> => {
  testPasswordHash ??= hashPassword(TEST_PASSWORD);
  return testPasswordHash;
};

/** Creates a user directly in the store and returns a bearer token for it. */
export async function userWith(
  t: TestApp,
  spec: { email?: string; roles?: Role[]; territories?: string[] } = {},
): Promise<{ id: string; email: string; token: string; auth: { authorization: string } }> {
  const email = spec.email ?? `user-${Math.random().toString(36).slice(2)}@test.example`;
  const k = t.services.db.kysely;
  const id = await createUser(k, {
    email,
    passwordHash: await hashedTestPassword(),
    now: t.clock.now(),
  });
  for (const role of spec.roles ?? []) await grantRole(k, id, role);
  for (const code of spec.territories ?? []) await grantStaff(k, id, code);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password: TEST_PASSWORD },
  });
  const cookie = res.cookies.find((c) => c.name === 'havre_session');
  if (!cookie) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return { id, email, token: cookie.value, auth: { authorization: `Bearer ${cookie.value}` } };
}
