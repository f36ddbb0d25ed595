/**
 * A full disk: writes fail with a clear 507 problem+json (HAVRE_ERR_STORAGE_FULL, Retry-After),
 * reads keep working, nothing acknowledged is lost, the database passes its integrity check, and
 * writes work again once space is freed — without a restart.
 *
 * The real case: `havre serve` with its data folder on a small tmpfs that a ballast file fills
 * (runs where this process may mount, e.g. as root in CI). Everywhere: SQLite's
 * `max_page_count` stands in for the disk limit, in process.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, userWith } from '../helpers/app.ts';
import { BIN, exited, freePort, ROOT, waitHealthy } from '../helpers/process.ts';
import { addTerritories, reportBody } from '../helpers/reports.ts';
import { signUpByMail } from '../helpers/signup-by-mail.ts';

/** Mounts a tmpfs of `size` at a new folder; null where mounting is not allowed. */
function smallFilesystem(size: string): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'havre-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
}

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

const MOUNTABLE = (() => {
  const probe = smallFilesystem('1m');
  if (!probe) return false;
  execFileSync('umount', [probe]);
  rmSync(probe, { recursive: true, force: true });
  return true;
})();

describe('full disk', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
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
      const dir = smallFilesystem('48m')!;
      cleanup.push(() => {
        execFileSync('umount', ['-l', dir]);
        rmSync(dir, { recursive: true, force: true });
      });
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
    const t: TestApp = await makeTestApp('sqlite');
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
});
