/**
 * A full disk: writes fail with a clear 507 problem+json (HAVRE_ERR_STORAGE_FULL, Retry-After),
 * reads keep working, nothing acknowledged is lost, the database passes its integrity check, and
 * writes work again once space is freed — without a restart.
 *
 * The real case: `havre serve` with its data folder on a small tmpfs that a ballast file fills
 * (runs where this process may mount, e.g. as root in CI). Everywhere: SQLite's
 * `max_page_count` stands in for the disk limit, in process (in memory: the limit is the main
 * connection's, and a file's reports are committed by a worker thread's own connection). PostgreSQL: a database in a
 * tablespace on a small tmpfs, filled by a ballast table until the server answers 53100
 * disk_full; freed by dropping it (skipped, with its reason, where PostgreSQL is not local or
 * this process may not mount).
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/accounts/tokens.ts';
import { makeTestApp, type TestApp, userWith } from '../helpers/app.ts';
import { POSTGRES_URL } from '../helpers/backends.ts';
import { BIN, exited, freePort, ROOT, waitHealthy } from '../helpers/process.ts';
import { actualAggregates, addTerritories, expectedAggregates, reportBody } from '../helpers/reports.ts';
import { signUpByMail } from '../helpers/signup-by-mail.ts';
import { mountable, smallFilesystem } from '../helpers/small-filesystem.ts';

/** Writes zeros into `file` until the file system says ENOSPC. */
function fillUp(file: string): number {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(16 * 1024);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return written;
}

const MOUNTABLE = mountable();

describe('full disk', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    // Every step runs even when one fails (a mount or a database must not outlive the test).
    const failures: unknown[] = [];
    for (const step of cleanup.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
  });

  const expectStorageFull = (
    status: number,
    type: string | null,
    body: { code?: string },
    retryAfter: unknown,
  ) => {
    expect(status).toBe(507);
    expect(type).toContain('application/problem+json');
    expect(body.code).toBe('HAVRE_ERR_STORAGE_FULL');
    expect(retryAfter).toBe('60');
  };

  it.runIf(MOUNTABLE)(
    'a real server on a full tmpfs answers 507, keeps what it acknowledged, and writes again once space is freed',
    async () => {
      const fs = smallFilesystem('48m')!;
      cleanup.push(() => fs.remove());
      const dir = fs.dir;
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const env = {
        ...process.env,
        HAVRE_DATA_DIR: dir,
        HAVRE_DATABASE_URL: `sqlite:${join(dir, 'havre.sqlite')}`,
        HAVRE_SECRET: 'full-disk-secret-full-disk-secret-0123',
        HAVRE_PORT: String(port),
        HAVRE_PUBLIC_URL: base,
        HAVRE_LOG_LEVEL: 'warn',
        HAVRE_RATE_LIMIT: '1000000',
        HAVRE_WEB_DIR: join(dir, 'no-web'),
      };
      // As an installation starts: the database first (other commands refuse a missing one).
      execFileSync(process.execPath, [BIN, 'migrate'], { env, stdio: 'pipe' });
      execFileSync(
        process.execPath,
        [BIN, 'territory', 'import', join(ROOT, 'data/territories/paris-arrondissements.geojson')],
        { env, stdio: 'pipe' },
      );
      const logs: string[] = [];
      const server = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      server.stdout.on('data', (c: Buffer) => logs.push(c.toString()));
      cleanup.push(async () => {
        server.kill('SIGKILL');
        await exited(server);
      });
      await waitHealthy(base, server);
      const tokens: string[] = [];
      for (let i = 0; i < 4; i++)
        tokens.push(await signUpByMail(base, dir, `full-${i}@test.example`, 'correct-horse-battery'));

      const report = (i: number) =>
        fetch(`${base}/api/reports`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${tokens[i % tokens.length]}`,
          },
          body: JSON.stringify({
            category: 'following',
            role: 'victim',
            lat: 48.8838 + (i % 9) * 0.001,
            lon: 2.3203,
            occurredAt: new Date(Date.now() - 10 * 60_000).toISOString(),
          }),
        });
      const acknowledged: string[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await report(i);
        expect(res.status).toBe(201);
        acknowledged.push((await res.json()).id);
      }

      // Empty the WAL (it would otherwise hold room for new commits), then fill the disk.
      const direct = new Database(join(dir, 'havre.sqlite'));
      direct.pragma('wal_checkpoint(TRUNCATE)');
      direct.close();
      const ballast = join(dir, 'ballast');
      expect(fillUp(ballast)).toBeGreaterThan(1024 * 1024);

      let full: Response | null = null;
      for (let i = 4; i < 60 && !full; i++) {
        const res = await report(i);
        if (res.status === 201) acknowledged.push((await res.json()).id);
        else full = res;
      }
      expect(full, 'no write failed on a full disk').not.toBeNull();
      expectStorageFull(
        full!.status,
        full!.headers.get('content-type'),
        await full!.json(),
        full!.headers.get('retry-after'),
      );
      // Reads still work; the process is up.
      expect((await fetch(`${base}/api/health`)).status).toBe(200);
      expect(
        (await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${tokens[0]}` } })).status,
      ).toBe(200);
      expect(logs.join('')).toContain('storage full');

      // Space is freed: writes work again, without a restart.
      rmSync(ballast);
      const again = await report(61);
      expect(again.status).toBe(201);
      acknowledged.push((await again.json()).id);

      server.kill('SIGTERM');
      await exited(server);
      const db = new Database(join(dir, 'havre.sqlite'), { readonly: true, fileMustExist: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const stored = new Set(
          (db.prepare('select id from reports').all() as { id: string }[]).map((r) => r.id),
        );
        expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
      } finally {
        db.close();
      }
    },
    120_000,
  );

  it('SQLite at its page limit (max_page_count) answers 507 problem+json, stays intact, and recovers', async () => {
    // max_page_count limits one connection: an in-memory database keeps the report commits on
    // the main connection (a file's are made by the intake's worker thread, on its own
    // connection: the real case above covers that path, through a full file system).
    const t: TestApp = await makeTestApp('sqlite', { env: { HAVRE_DATABASE_URL: 'sqlite::memory:' } });
    cleanup.push(() => t.close());
    await addTerritories(t, ['75117']);
    const sqlite = t.services.db.sqlite!;
    const users = await Promise.all(Array.from({ length: 6 }, () => userWith(t)));
    const post = (i: number) =>
      t.app.inject({
        method: 'POST',
        url: '/api/reports',
        headers: users[i % users.length].auth,
        payload: reportBody(t, { lat: 48.8838 + (i % 11) * 0.0007 }),
      });
    const pages = Number(sqlite.pragma('page_count', { simple: true }));
    sqlite.pragma(`max_page_count = ${pages + 2}`);
    const acknowledged: string[] = [];
    let full: Awaited<ReturnType<typeof post>> | null = null;
    for (let i = 0; i < 100 && !full; i++) {
      const res = await post(i);
      if (res.statusCode === 201) acknowledged.push(res.json().id);
      else full = res;
    }
    expect(full, 'no write failed at the page limit').not.toBeNull();
    expectStorageFull(
      full!.statusCode,
      String(full!.headers['content-type']),
      full!.json(),
      full!.headers['retry-after'],
    );
    expect(t.logs.lines.some((line) => line.includes('storage full'))).toBe(true);
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');

    sqlite.pragma('max_page_count = 1073741823'); // space freed
    const again = await post(100);
    expect(again.statusCode).toBe(201);
    acknowledged.push(again.json().id);
    const stored = new Set(
      (await t.services.db.kysely.selectFrom('reports').select('id').execute()).map((r) => r.id),
    );
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
  });

  // Registered where the suite runs on PostgreSQL (as every PostgreSQL test, backends()); there,
  // a machine that cannot give it a small file system fails it with the reason, never skips it.
  const postgresIt = POSTGRES_URL ? it : () => undefined;
  postgresIt(
    'PostgreSQL on a full tablespace answers 507, keeps what it acknowledged, serves reads, and writes again once space is freed',
    async () => {
      const reason = postgresFullDiskUnavailable();
      if (reason) throw new Error(`the PostgreSQL full-disk test cannot run here: ${reason}`);
      // A tablespace on a 32 MB tmpfs owned by the server's user, a fresh database in it.
      const fs = smallFilesystem('32m', postgresOwner()!)!;
      cleanup.push(() => fs.remove());
      const id = randomBytes(4).toString('hex');
      const space = `havre_full_${id}`;
      const name = `havre_full_${id}`;
      const admin = new pg.Client({ connectionString: POSTGRES_URL! });
      await admin.connect();
      cleanup.push(() => admin.end());
      await admin.query(`create tablespace ${space} location '${fs.dir}'`);
      cleanup.push(() => admin.query(`drop tablespace if exists ${space}`));
      // FILE_COPY, not PostgreSQL 15's default WAL_LOG: WAL_LOG extends each copied catalog file by
      // writing its last block only, leaving holes that a tmpfs fills only when the page is written
      // back, so that a later write of an existing catalog page (DROP TABLE freeing the space) could
      // itself fail with "could not write block 0 … No space left on device" (CI, 2026-11-29).
      await admin.query(`create database ${name} tablespace ${space} strategy file_copy`);
      cleanup.push(() => admin.query(`drop database if exists ${name} with (force)`));
      const url = new URL(POSTGRES_URL!);
      url.pathname = `/${name}`;

      const t = await makeTestApp('postgres', {
        database: { name: 'postgres', databaseUrl: url.toString() },
      });
      cleanup.push(() => t.close());
      await addTerritories(t, ['75117']);
      // Enough citizens that the daily quota (20 reports each) never answers before the disk does.
      const users: Awaited<ReturnType<typeof userWith>>[] = [];
      for (let i = 0; i < 14; i++) users.push(await userWith(t));
      const report = (i: number) =>
        t.app.inject({
          method: 'POST',
          url: '/api/reports',
          headers: users[i % users.length].auth,
          payload: reportBody(t, {
            lat: 48.8838 + (i % 11) * 0.0007,
            category: i % 2 ? 'following' : 'verbal_harassment',
          }),
        });
      const invite = (i: number) =>
        t.app.inject({ method: 'POST', url: '/api/contacts/invites', headers: users[i % users.length].auth });
      const reports: string[] = [];
      const invites: string[] = [];
      /** Writes until one is refused; every other answer must be a success. */
      const untilRefused = async (
        write: (i: number) => ReturnType<typeof report>,
        acknowledged: string[],
        field: string,
        max: number,
      ) => {
        for (let i = 0; i < max; i++) {
          const res = await write(i);
          if (res.statusCode !== 201) return res;
          acknowledged.push(res.json()[field]);
        }
        return null;
      };
      expect(await untilRefused(report, reports, 'id', 5)).toBeNull();
      expect(await untilRefused(invite, invites, 'token', 5)).toBeNull();

      // Fill the tablespace from another connection: a ballast table grows until PostgreSQL says
      // 53100 disk_full ("could not extend file … No space left on device").
      const direct = new pg.Client({ connectionString: url.toString() });
      await direct.connect();
      cleanup.push(() => direct.end());
      await direct.query('create table ballast (pad text)');
      const fill = async (): Promise<{ code?: string; message?: string } | null> => {
        for (let i = 0; i < 100; i++) {
          try {
            await direct.query(`insert into ballast select repeat('x', 1000) from generate_series(1, 1000)`);
          } catch (error) {
            return error as { code?: string; message?: string };
          }
        }
        return null;
      };
      const filled = await fill();
      expect(filled?.code, filled?.message).toBe('53100');
      expect(filled?.message).toMatch(/could not extend file|No space left/);

      // Havre's writes: reports and invitations are refused with a clear 507 once their tables
      // cannot grow; nothing else (no 500) on the way.
      for (const [write, acknowledged, field] of [
        [report, reports, 'id'],
        [invite, invites, 'token'],
      ] as const) {
        const refused = await untilRefused(write, acknowledged, field, 200);
        expect(refused, 'no write failed on the full tablespace').not.toBeNull();
        expectStorageFull(
          refused!.statusCode,
          String(refused!.headers['content-type']),
          refused!.json(),
          refused!.headers['retry-after'],
        );
      }
      expect(t.logs.lines.some((line) => line.includes('storage full'))).toBe(true);
      // The only errors logged are the operator's "storage full" (no unhandled error, no crash).
      const errors = t.logs.lines.filter((line) => /"level":(50|60)/.test(line));
      expect(errors.filter((line) => !line.includes('"msg":"storage full"'))).toEqual([]);
      console.info(
        `PostgreSQL full: ${reports.length} reports, ${invites.length} invitations acknowledged, then 507`,
      );

      // Reads keep working, signed in too (past the minute after which a request touches its
      // session's last_seen_at).
      t.clock.advance(2 * 60_000);
      expect((await t.app.inject({ url: '/api/health' })).statusCode).toBe(200);
      for (const user of users.slice(0, 3)) {
        expect((await t.app.inject({ url: '/api/me', headers: user.auth })).statusCode).toBe(200);
        expect((await t.app.inject({ url: '/api/contacts', headers: user.auth })).statusCode).toBe(200);
      }

      // Space is freed: writes work again, without a restart.
      await direct.query('drop table ballast');
      const again = await report(1000);
      expect(again.statusCode).toBe(201);
      reports.push(again.json().id);
      expect((await invite(0)).statusCode).toBe(201);

      // Nothing acknowledged is lost; the aggregates agree with the reports (no half-written
      // report); every B-tree index passes amcheck.
      const stored = new Set(
        (await t.services.db.kysely.selectFrom('reports').select('id').execute()).map((r) => r.id),
      );
      expect(reports.filter((id) => !stored.has(id))).toEqual([]);
      const [expected, actual] = [await expectedAggregates(t), await actualAggregates(t)];
      expect(actual).toEqual(expected);
      const storedInvites = await t.services.db.kysely
        .selectFrom('contact_invites')
        .select('token_hash')
        .execute();
      const hashes = new Set(storedInvites.map((r) => r.token_hash));
      expect(invites.filter((token) => !hashes.has(hashToken(token)))).toEqual([]);
      await direct.query('create extension if not exists amcheck');
      const checked = await direct.query(
        `select c.relname, bt_index_check(c.oid, true) from pg_index i
       join pg_class c on c.oid = i.indexrelid join pg_am a on a.oid = c.relam
       where a.amname = 'btree' and c.relnamespace = 'public'::regnamespace`,
      );
      expect(checked.rows.length).toBeGreaterThan(10);
    },
    120_000,
  );
});

/** Why the PostgreSQL full-disk test cannot run here, or null. */
function postgresFullDiskUnavailable(): string | null {
  if (!POSTGRES_URL) return 'HAVRE_TEST_DATABASE_URL is not set';
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(POSTGRES_URL).hostname))
    return 'PostgreSQL is not on this machine: its tablespace cannot be put on a file system we mount';
  if (!postgresOwner()) return 'no local "postgres" user to own the tablespace folder';
  if (!MOUNTABLE) return 'this process may not mount a tmpfs (needs root, as in CI)';
  return null;
}

function postgresOwner(): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return null;
  }
}
