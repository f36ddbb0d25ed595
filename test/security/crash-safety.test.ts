/**
 * Crash safety: a real server (`havre serve`) takes a stream of reports from several citizens;
 * it is killed with SIGKILL mid-stream and restarted. Every report it had acknowledged (201)
 * must be in the database after the restart, and SQLite must pass `PRAGMA integrity_check`
 * (read-only connection). Same on PostgreSQL (a fresh database) when HAVRE_TEST_DATABASE_URL is set.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { encryptPosition, generateSessionKey } from '../../src/shared/envelope.ts';
import { POSTGRES_URL } from '../helpers/backends.ts';
import { freshPostgresDatabase } from '../helpers/postgres-database.ts';
import { signUpByMail } from '../helpers/signup-by-mail.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'havre.mjs');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitHealthy(base: string, child: ChildProcess) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become healthy');
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));

describe.each(POSTGRES_URL ? ['sqlite', 'postgres'] : ['sqlite'])('crash safety on %s', (backend) => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('keeps every acknowledged report and share position after SIGKILL mid-stream, and the database is intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'havre-crash-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    let databaseUrl = `sqlite:${join(dir, 'havre.sqlite')}`;
    if (backend === 'postgres') {
      const fresh = await freshPostgresDatabase('havre_crash');
      cleanup.push(() => fresh.drop());
      databaseUrl = fresh.url;
    }
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      ...process.env,
      HAVRE_DATA_DIR: dir,
      HAVRE_DATABASE_URL: databaseUrl,
      HAVRE_SECRET: 'crash-secret-crash-secret-crash-secret-01',
      HAVRE_PORT: String(port),
      HAVRE_LOG_LEVEL: 'warn',
      HAVRE_RATE_LIMIT: '1000000',
      HAVRE_WEB_DIR: join(dir, 'no-web'),
    };
    execFileSync(
      process.execPath,
      [BIN, 'territory', 'import', join(ROOT, 'data/territories/paris-arrondissements.geojson')],
      { env, stdio: 'pipe' },
    );
    const serve = () => {
      const child = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      cleanup.push(async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGKILL');
          await exited(child);
        }
      });
      return child;
    };

    let server = serve();
    await waitHealthy(base, server);
    // 20 reports per account per day: enough citizens for the stream.
    const tokens: string[] = [];
    for (let i = 0; i < 12; i++) {
      tokens.push(await signUpByMail(base, dir, `crash-${i}@test.example`, 'correct-horse-battery'));
    }

    // One live share whose owner streams encrypted positions over the HTTP fallback meanwhile.
    const owner = { 'content-type': 'application/json', authorization: `Bearer ${tokens[0]}` };
    const started = await fetch(`${base}/api/shares`, {
      method: 'POST',
      headers: owner,
      body: JSON.stringify({ mode: 'trip', visibility: 'live', recipients: [] }),
    });
    expect(started.status).toBe(201);
    const shareId: string = (await started.json()).id;
    const key = await generateSessionKey();
    const ackedSeqs: number[] = [];

    const acknowledged: string[] = [];
    let sent = 0;
    let killed = false;
    const worker = async (w: number) => {
      for (;;) {
        const n = sent++;
        if (n >= tokens.length * 20) return;
        try {
          const res = await fetch(`${base}/api/reports`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${tokens[n % tokens.length]}`,
            },
            body: JSON.stringify({
              category: 'following',
              role: 'victim',
              lat: 48.8838 + ((n % 17) - 8) * 0.0005,
              lon: 2.3203 + ((w % 7) - 3) * 0.0005,
              occurredAt: new Date(Date.now() - 10 * 60_000).toISOString(),
            }),
          });
          if (res.status === 201) acknowledged.push((await res.json()).id);
          else if (!killed) throw new Error(`unexpected ${res.status} ${await res.text()}`);
        } catch (error) {
          if (!killed) throw error;
          return; // the server is gone: connection refused or reset
        }
      }
    };
    const positions = async () => {
      for (let seq = 1; seq < 100_000; seq++) {
        const c = await encryptPosition(key, shareId, seq, {
          lat: 48.88,
          lon: 2.32,
          accuracy: 10,
          heading: null,
          speed: null,
          battery: null,
          t: Date.now(),
        });
        try {
          const res = await fetch(`${base}/api/shares/${shareId}/positions`, {
            method: 'POST',
            headers: owner,
            body: JSON.stringify({ positions: [{ seq, c }] }),
          });
          if (res.status === 200) ackedSeqs.push(...(await res.json()).acked);
          else if (!killed) throw new Error(`positions: ${res.status} ${await res.text()}`);
        } catch (error) {
          if (!killed) throw error;
          return;
        }
        if (killed) return;
      }
    };
    const workers = [...Array.from({ length: 8 }, (_, w) => worker(w)), positions()];
    // Kill once a good part of the stream was acknowledged, while requests are in flight.
    while (acknowledged.length < 80) await new Promise((r) => setTimeout(r, 5));
    killed = true;
    server.kill('SIGKILL');
    await exited(server);
    await Promise.all(workers);
    expect(acknowledged.length).toBeGreaterThanOrEqual(80);

    server = serve();
    await waitHealthy(base, server);
    let stored: Set<string>;
    let trail: Set<number>;
    if (backend === 'sqlite') {
      const db = new Database(join(dir, 'havre.sqlite'), { readonly: true, fileMustExist: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        stored = new Set((db.prepare('select id from reports').all() as { id: string }[]).map((r) => r.id));
        trail = new Set(
          (
            db.prepare('select seq from trail_points where share_id = ?').all(shareId) as { seq: number }[]
          ).map((r) => Number(r.seq)),
        );
      } finally {
        db.close();
      }
    } else {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        stored = new Set((await client.query('select id from reports')).rows.map((r) => r.id));
        trail = new Set(
          (await client.query('select seq from trail_points where share_id = $1', [shareId])).rows.map((r) =>
            Number(r.seq),
          ),
        );
      } finally {
        await client.end();
      }
    }
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    expect(ackedSeqs.length).toBeGreaterThan(0);
    expect(ackedSeqs.filter((seq) => !trail.has(seq))).toEqual([]);
    console.info(
      `crash safety (${backend}): reports ${acknowledged.length} acknowledged, ${stored.size} stored; positions ${ackedSeqs.length} acknowledged, ${trail.size} stored`,
    );
    // The restarted server takes reports again.
    const again = await fetch(`${base}/api/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[0]}` },
      body: JSON.stringify({
        category: 'following',
        role: 'witness',
        lat: 48.8838,
        lon: 2.3203,
        occurredAt: new Date(Date.now() - 5 * 60_000).toISOString(),
      }),
    });
    expect([201, 429]).toContain(again.status);
  }, 120_000);
});
