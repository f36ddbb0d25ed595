/**
 * Faults: PostgreSQL goes away under a running instance, and comes back. The instance
 * reaches the shared test cluster through a TCP proxy of this test's own, which the test cuts
 * (every connection reset, new ones refused: a restart or a network loss as the instance sees
 * it) and restores on the same port; the cluster itself, which other tests use, is not
 * restarted.
 *
 * Meanwhile: liveness stays 200, readiness says the database is not there, requests that need
 * it fail with 503 problem+json (never a 500, never a hang), the process does not exit. After:
 * the same requests succeed again without a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_URL } from '../helpers/backends.ts';
import { clusterEnv, freePort, type Instance, spawnHavre, until } from '../helpers/instances.ts';
import { freshPostgresDatabase } from '../helpers/postgres-database.ts';
import { call, type Person, signup } from '../helpers/remote-people.ts';
import { type Received, startSmtp } from '../helpers/smtp.ts';

/** A TCP proxy that can be cut (connections reset, new ones refused) and restored. */
async function tcpProxy(target: { host: string; port: number }) {
  const port = await freePort();
  const open = new Set<Socket>();
  let server: Server | null = null;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(target.port, target.host);
        for (const s of [client, upstream]) {
          open.add(s);
          s.on('close', () => open.delete(s));
          s.on('error', () => {
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => resolve());
    });
  await listen();
  return {
    port,
    async cut() {
      const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      for (const s of open) s.resetAndDestroy();
      await closed;
      server = null;
    },
    restore: listen,
  };
}

const REPORT = { category: 'following', role: 'witness', lat: 48.8838, lon: 2.3203 };

describe.runIf(POSTGRES_URL)('PostgreSQL outage under a running instance', () => {
  let database: Awaited<ReturnType<typeof freshPostgresDatabase>>;
  let proxy: Awaited<ReturnType<typeof tcpProxy>>;
  let dir: string;
  let smtp: SMTPServer;
  const mails: Received[] = [];
  let instance: Instance;
  let alice: Person;
  const report = () =>
    call(instance.base, '/api/reports', alice, {
      ...REPORT,
      occurredAt: new Date(Date.now() - 600_000).toISOString(),
    });

  beforeAll(async () => {
    database = await freshPostgresDatabase('havre_pg_outage');
    const direct = new URL(database.url);
    proxy = await tcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const proxied = new URL(database.url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    dir = mkdtempSync(join(tmpdir(), 'havre-pg-outage-'));
    const smtpPort = await freePort();
    smtp = await startSmtp(smtpPort, mails);
    // The CLI runs synchronously (execFileSync): it must not go through this process's proxy.
    const env = clusterEnv({ databaseUrl: database.url, smtpPort, dir });
    instance = await spawnHavre('A', {
      ...env,
      HAVRE_DATABASE_URL: proxied.toString(),
      HAVRE_DATA_DIR: join(dir, 'A'),
    });
    alice = await signup(instance.base, 'alice@pg-outage.example', mails);
  }, 300_000);

  afterAll(async () => {
    await instance?.kill();
    await proxy?.cut();
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 while PostgreSQL is away, never crashes, and resumes by itself when it is back', async () => {
    expect((await report()).status).toBe(201);
    expect((await call(instance.base, '/api/ready', null)).json).toMatchObject({ database: true });

    await proxy.cut();

    expect((await call(instance.base, '/api/health', null)).status).toBe(200);
    const ready = await call(instance.base, '/api/ready', null);
    expect(ready.status).toBe(503);
    expect(ready.json).toMatchObject({ status: 'unavailable', database: false });
    // A write, an authenticated read, a sign-in: each needs the database.
    const attempts = [
      await report(),
      await call(instance.base, '/api/me', alice),
      await call(instance.base, '/api/auth/login', null, {
        email: alice.email,
        password: 'correct-horse-battery',
      }),
      await call(instance.base, '/api/shares', alice, { mode: 'trip', visibility: 'live', recipients: [] }),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(503);
      expect(res.type).toContain('application/problem+json');
      expect(res.json.code).toBe('HAVRE_ERR_UNAVAILABLE');
    }
    // The periodic jobs run into the outage on their own timers (every 5 s): logged, not fatal.
    await until(() => instance.output().includes('job failed'), 'a job to meet the outage');
    expect(instance.alive()).toBe(true);

    await proxy.restore();

    await until(async () => (await call(instance.base, '/api/ready', null)).status === 200, 'ready again');
    expect((await report()).status).toBe(201);
    expect((await call(instance.base, '/api/me', alice)).status).toBe(200);
    expect(instance.alive()).toBe(true);
    expect(instance.output()).not.toMatch(/unhandled|uncaught/i);
  }, 120_000);
});
