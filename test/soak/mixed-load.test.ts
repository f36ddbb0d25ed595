/**
 * Soak: a real `havre serve --demo` (SQLite) takes mixed load for HAVRE_SOAK_MINUTES
 * (`npm run test:soak`: 30 by default; `.ci/run` runs 2): reports from many citizens, nearest
 * refuges, live shares over the WebSocket relay with guest watchers, dashboards on SSE, logins
 * and logouts. Checked: no 5xx, no error or fatal log line, the relay keeps delivering, and the
 * server's heap comes back near its warmed-up baseline once the load stops. Latencies are
 * printed (speed is measured in bench/, not asserted here).
 *
 * Rates (per second) can be changed: HAVRE_SOAK_REPORTS (10), HAVRE_SOAK_NEAREST (20),
 * HAVRE_SOAK_SHARES (100 sharers, one position every 5 s each, one guest watcher each).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { hashPassword } from '../../src/accounts/passwords.ts';
import { createUser } from '../../src/accounts/store.ts';
import { openDatabase } from '../../src/db/database.ts';
import { DEMO_PASSWORD } from '../../src/demo/seed.ts';
import { encryptPosition, generateSessionKey } from '../../src/shared/envelope.ts';
import { REPORT_CATEGORIES } from '../../src/shared/reports.ts';

const MINUTES = Number(process.env.HAVRE_SOAK_MINUTES ?? 30);
const RATE = {
  reports: Number(process.env.HAVRE_SOAK_REPORTS ?? 10),
  nearest: Number(process.env.HAVRE_SOAK_NEAREST ?? 20),
  shares: Number(process.env.HAVRE_SOAK_SHARES ?? 100),
};
const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'havre.mjs');
const PASSWORD = 'soak-password-2026';
/** Heap may exceed its warmed-up baseline by this much once the load has stopped. */
const HEAP_SLACK = 64 * 1024 * 1024;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Tally {
  readonly statuses = new Map<string, number>();
  readonly latencies = new Map<string, number[]>();
  readonly fiveHundreds: string[] = [];
  count(kind: string, status: number | 'network', ms: number) {
    const key = `${kind} ${status}`;
    this.statuses.set(key, (this.statuses.get(key) ?? 0) + 1);
    if (typeof status === 'number' && status >= 500) this.fiveHundreds.push(key);
    const list = this.latencies.get(kind) ?? [];
    list.push(ms);
    this.latencies.set(kind, list);
  }
  summary(): string {
    const lines = [...this.latencies].map(([kind, list]) => {
      const sorted = [...list].sort((a, b) => a - b);
      const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(1);
      return `${kind}: n=${list.length} p50=${q(0.5)} ms p99=${q(0.99)} ms`;
    });
    return [...lines, `statuses: ${JSON.stringify(Object.fromEntries(this.statuses))}`].join('\n');
  }
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('soak', () => {
  const dir = mkdtempSync(join(tmpdir(), 'havre-soak-'));
  let server: ChildProcess | null = null;
  const logs: string[] = [];
  afterAll(() => {
    server?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    `takes ${MINUTES} min of mixed load: no 5xx, no error log, the relay delivers, memory back to baseline`,
    async () => {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const databaseUrl = `sqlite:${join(dir, 'havre.sqlite')}`;
      server = spawn(process.execPath, [BIN, 'serve', '--demo'], {
        env: {
          ...process.env,
          HAVRE_DATA_DIR: dir,
          HAVRE_DATABASE_URL: databaseUrl,
          HAVRE_PORT: String(port),
          HAVRE_PUBLIC_URL: base,
          HAVRE_SECRET: 'soak-secret-soak-secret-soak-secret-0123',
          HAVRE_LOG_LEVEL: 'warn',
          HAVRE_RATE_LIMIT: '1000000',
          HAVRE_WEB_DIR: join(dir, 'no-web'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      for (const stream of [server.stdout, server.stderr]) {
        stream?.on('data', (chunk: Buffer) => logs.push(...chunk.toString().split('\n').filter(Boolean)));
      }
      for (let i = 0; ; i++) {
        if (server.exitCode !== null) throw new Error(`server exited: ${logs.join('\n')}`);
        if (
          await fetch(`${base}/api/health`).then(
            (r) => r.ok,
            () => false,
          )
        )
          break;
        if (i > 600) throw new Error('server did not start');
        await sleep(100);
      }

      // Citizens: enough that the daily quota (20 reports each) does not stop the report stream.
      const citizens = Math.ceil((RATE.reports * MINUTES * 60) / 18) + RATE.shares + 10;
      const db = await openDatabase(databaseUrl);
      const emails: string[] = [];
      try {
        const passwordHash = await hashPassword(PASSWORD);
        for (let i = 0; i < citizens; i++) {
          const email = `soak-${i}@test.example`;
          await createUser(db.kysely, { email, passwordHash, now: Date.now(), verified: true });
          emails.push(email);
        }
      } finally {
        await db.close();
      }

      const tally = new Tally();
      let inFlight = 0;
      const call = async (kind: string, path: string, init: RequestInit = {}): Promise<Response | null> => {
        const started = performance.now();
        inFlight += 1;
        try {
          const res = await fetch(`${base}${path}`, init);
          tally.count(kind, res.status, performance.now() - started);
          return res;
        } catch {
          tally.count(kind, 'network', performance.now() - started);
          return null;
        } finally {
          inFlight -= 1;
        }
      };
      const login = async (email: string, password = PASSWORD): Promise<string> => {
        const res = await call('login', '/api/auth/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password }),
        });
        if (res?.status !== 200) throw new Error(`login ${email}: ${res?.status}`);
        return /havre_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';
      };
      const json = (token: string) => ({
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      });

      // Sessions are made through the database's own sign-in (the auth routes allow 30 a minute).
      const tokens: string[] = [];
      {
        const db2 = await openDatabase(databaseUrl);
        const { createSession } = await import('../../src/accounts/store.ts');
        try {
          const rows = await db2.kysely
            .selectFrom('users')
            .select(['id', 'email'])
            .where('email', 'like', 'soak-%')
            .execute();
          const byEmail = new Map(rows.map((r) => [r.email, r.id]));
          for (const email of emails)
            tokens.push(await createSession(db2.kysely, byEmail.get(email)!, Date.now(), 86_400_000));
        } finally {
          await db2.close();
        }
      }
      const staff = await login('mairie.paris17@havre.example', DEMO_PASSWORD);

      // Live shares: each sharer on its own socket, one guest watcher each.
      const ws = `${base.replace('http', 'ws')}/api/shares/ws`;
      const sockets: WebSocket[] = [];
      const unexpectedCloses: number[] = [];
      let delivered = 0;
      let acked = 0;
      const open = (auth: object, share: string, onFrame: (f: Record<string, unknown>) => void) =>
        new Promise<WebSocket>((resolve, reject) => {
          const socket = new WebSocket(ws);
          sockets.push(socket);
          socket.on('open', () => socket.send(JSON.stringify({ type: 'auth', ...auth })));
          socket.on('message', (data) => {
            const frame = JSON.parse(String(data));
            if (frame.type === 'ready') socket.send(JSON.stringify({ type: 'join', share }));
            else if (frame.type === 'joined') resolve(socket);
            else if (frame.type === 'error') reject(new Error(JSON.stringify(frame)));
            else onFrame(frame);
          });
          socket.on('close', (code) => {
            if (!stopping) unexpectedCloses.push(code);
          });
          socket.on('error', reject);
        });
      let stopping = false;
      const sharers: { socket: WebSocket; share: string; key: CryptoKey; seq: number }[] = [];
      for (let i = 0; i < RATE.shares; i++) {
        const token = tokens[tokens.length - 1 - i];
        const res = await call('share', '/api/shares', {
          method: 'POST',
          headers: json(token),
          body: JSON.stringify({
            mode: 'journey',
            visibility: 'live',
            recipients: [],
            until: new Date(Date.now() + 2 * 86_400_000).toISOString(),
          }),
        });
        expect(res?.status).toBe(201);
        const share: string = (await res!.json()).id;
        const link = await call('guest-link', `/api/shares/${share}/guest-links`, {
          method: 'POST',
          headers: json(token),
          body: JSON.stringify({ expiresAt: new Date(Date.now() + 86_400_000).toISOString() }),
        });
        expect(link?.status).toBe(201);
        const socket = await open({ token }, share, (f) => {
          if (f.type === 'ack') acked += 1;
        });
        await open({ guest: (await link!.json()).token }, share, (f) => {
          if (f.type === 'pos') delivered += 1;
        });
        sharers.push({ socket, share, key: await generateSessionKey(), seq: 0 });
      }

      // Dashboards on SSE.
      const sse = new AbortController();
      let sseBytes = 0;
      for (let i = 0; i < 2; i++) {
        void (async () => {
          try {
            const res = await fetch(`${base}/api/territories/75117/live`, {
              headers: json(staff),
              signal: sse.signal,
            });
            expect(res.status).toBe(200);
            for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>)
              sseBytes += chunk.length;
          } catch {
            // aborted at the end of the run
          }
        })();
      }

      const heapOf = async () => {
        const text = await (await fetch(`${base}/metrics`)).text();
        return Number(
          /^havre_nodejs_heap_size_used_bytes (\d+(?:\.\d+)?(?:e\+\d+)?)/m.exec(text)?.[1] ?? Number.NaN,
        );
      };

      // The load: each kind on its own clock; a kind skips a beat when 200 requests are in flight.
      const end = Date.now() + MINUTES * 60_000;
      const timers: NodeJS.Timeout[] = [];
      const every = (perSecond: number, work: (n: number) => Promise<unknown>) => {
        let n = 0;
        const ms = 1000 / perSecond;
        timers.push(
          setInterval(() => {
            if (inFlight < 200) void work(n++);
          }, ms),
        );
      };
      let report = 0;
      every(RATE.reports, async () => {
        const i = report++;
        await call('report', '/api/reports', {
          method: 'POST',
          headers: json(tokens[Math.floor(i / 18) % tokens.length]),
          body: JSON.stringify({
            category: REPORT_CATEGORIES[i % REPORT_CATEGORIES.length],
            role: i % 2 ? 'victim' : 'witness',
            lat: 48.883 + (Math.random() - 0.5) * 0.01,
            lon: 2.32 + (Math.random() - 0.5) * 0.01,
            occurredAt: new Date(Date.now() - 15 * 60_000).toISOString(),
          }),
        });
      });
      every(RATE.nearest, () =>
        call(
          'nearest',
          `/api/places/nearest?lat=${(48.86 + Math.random() * 0.04).toFixed(5)}&lon=${(2.3 + Math.random() * 0.06).toFixed(5)}&limit=5`,
        ),
      );
      every(Math.max(0.2, RATE.shares / 5), async (n) => {
        const sharer = sharers[n % sharers.length];
        const seq = sharer.seq++;
        const c = await encryptPosition(sharer.key, sharer.share, seq, {
          lat: 48.88,
          lon: 2.32,
          accuracy: 10,
          heading: null,
          speed: null,
          battery: null,
          t: Date.now(),
        });
        sharer.socket.send(JSON.stringify({ type: 'pos', share: sharer.share, seq, c }));
      });
      // Sign-in, a look at /api/me, sign-out: 20 a minute (the auth routes allow 30 per client).
      every(1 / 3, async (n) => {
        const token = await login(emails[n % emails.length]).catch(() => '');
        if (!token) return;
        await call('me', '/api/me', { headers: json(token) });
        await call('logout', '/api/auth/logout', {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
        });
      });
      every(0.5, () => call('heatmap', '/api/territories/75117/heatmap', { headers: json(staff) }));

      await sleep(Math.min(20_000, MINUTES * 60_000 * 0.15)); // warm-up
      const baseline = await heapOf();
      const samples: number[] = [baseline];
      while (Date.now() < end) {
        await sleep(Math.min(30_000, end - Date.now()));
        samples.push(await heapOf());
      }
      for (const timer of timers) clearInterval(timer);
      while (inFlight > 0) await sleep(50);
      stopping = true;
      sse.abort();
      for (const socket of sockets) socket.close();
      await sleep(10_000); // idle: sockets released, the collector catches up
      const after = await heapOf();

      const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
      console.info(
        [
          `soak ${MINUTES} min, ${citizens} citizens, ${RATE.shares} shares`,
          tally.summary(),
          `relay: ${acked} acks, ${delivered} deliveries to guest watchers; SSE ${sseBytes} bytes`,
          `heap MB: baseline ${mb(baseline)}, during ${samples.map(mb).join(' ')}, after ${mb(after)}`,
        ].join('\n'),
      );
      expect(tally.fiveHundreds).toEqual([]);
      expect([...tally.statuses.keys()].filter((k) => k.endsWith(' network'))).toEqual([]);
      expect(tally.statuses.get('report 201') ?? 0).toBeGreaterThan(0);
      expect(tally.statuses.get('nearest 200') ?? 0).toBeGreaterThan(0);
      // Every answer is one the load expects (reports past a citizen's daily quota: 429).
      const expected =
        /^(login 200|share 201|guest-link 201|nearest 200|report (201|202|429)|heatmap 200|me 200|logout 204)$/;
      expect([...tally.statuses.keys()].filter((k) => !expected.test(k))).toEqual([]);
      expect(unexpectedCloses).toEqual([]);
      expect(acked).toBeGreaterThan(0);
      expect(delivered).toBeGreaterThan(0);
      const errors = logs.filter((line) => /"level":(50|60)/.test(line));
      expect(errors).toEqual([]);
      expect(server.exitCode).toBeNull();
      expect(after).toBeLessThanOrEqual(baseline + HEAP_SLACK);
    },
    (MINUTES + 5) * 60_000,
  );
});
