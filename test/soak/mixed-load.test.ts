/**
 * Soak: a real `havre serve --demo` (SQLite) takes mixed load for HAVRE_SOAK_MINUTES
 * (`npm run test:soak`: 30 by default; `.ci/run` runs 2): reports from many citizens, nearest
 * refuges, live shares over the WebSocket relay with guest watchers, dashboards on SSE, logins
 * and logouts. Asserted:
 *
 * - no error: no 5xx, no network failure, no unexpected status, no socket closed under a client,
 *   no error or fatal log line, the server still running;
 * - each workload ran at its stated rate (at least 90 % of the requests it was due to send);
 * - p99 inside the product targets (issue 7), measured by the clients from send to answer:
 *   nearest < 5 ms, relay delivery (sharer's send → guest watcher's frame) < 10 ms, report
 *   acknowledgement < 100 ms, report → dashboard SSE event < 100 ms (a probe in Rouen, one
 *   report at a time, as bench/lib/live-probe.ts);
 * - memory flat (MEMORY_RULE below).
 *
 * HAVRE_SOAK_LATENCY=report (what `.ci/run` sets) prints the timing verdict (p99, beats skipped
 * with 200 requests in flight) instead of failing on it: CI's short soak shares its 2 cores with the load generator right after the whole suite,
 * and the p99 targets are not all met yet (issue 8's note has the figures). Everything else is
 * asserted there too; `npm run test:soak` asserts the p99 targets as well.
 *
 * Rates: the benchmark rates of issues 7 and 8 — nearest 1,000 req/s (its open-loop p99
 * target), 1,000 live shares each sending a position every 5 s (200/s, issue 7's relay
 * pattern) with one guest watcher each — multiplied by HAVRE_SOAK_SCALE (1 by default; `.ci/run`
 * uses 0.25 on its shared 2-core machine, where the load generator, the server and the other
 * jobs share the cores: 250 req/s and 250 shares). Reports: 10/s (the intake benchmark
 * saturates, it has no steady rate to scale), dashboards: 2 on SSE plus the probe. Each can be
 * set: HAVRE_SOAK_NEAREST, HAVRE_SOAK_SHARES, HAVRE_SOAK_REPORTS (per second; shares: count).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { hashPassword } from '../../src/accounts/passwords.ts';
import { createSession, createUser } from '../../src/accounts/store.ts';
import { openDatabase } from '../../src/db/database.ts';
import { DEMO_PASSWORD } from '../../src/demo/seed.ts';
import { encryptPosition, generateSessionKey } from '../../src/shared/envelope.ts';
import { REPORT_CATEGORIES } from '../../src/shared/reports.ts';
import { freePort } from '../helpers/instances.ts';
import { type BeatCount, beats, liveFeed, type NearestResult, openLoop, p, Tally } from './load-clients.ts';
import { collectGarbage, inspectorUrl, startProfile } from './server-gc.ts';

const MINUTES = Number(process.env.HAVRE_SOAK_MINUTES ?? 30);
const SCALE = Number(process.env.HAVRE_SOAK_SCALE ?? 1);
const LATENCY = process.env.HAVRE_SOAK_LATENCY === 'report' ? 'report' : 'assert';
const RATE = {
  nearest: Number(process.env.HAVRE_SOAK_NEAREST ?? 1000 * SCALE),
  shares: Number(process.env.HAVRE_SOAK_SHARES ?? Math.round(1000 * SCALE)),
  /** Every share sends a position this often (issue 7's relay pattern). */
  positionEveryS: 5,
  reports: Number(process.env.HAVRE_SOAK_REPORTS ?? 10),
};
/** p99 targets, ms (issue 7). */
const TARGET = { nearest: 5, relay: 10, reportAck: 100, live: 100 };
/**
 * Memory rule, on the server's heap and RSS sampled every 2 s (its /metrics):
 * - after the warm-up (a quarter of the run, at most 60 s), the heap's floor (lowest sample of
 *   each eighth of the rest) must not rise from one eighth to the next through the whole last
 *   half by more than FLOOR_RISE in total: a leak raises the floor monotonically, the collector's
 *   sawtooth does not;
 * - once the load stops and the server idles 10 s, the heap after a full collection (forced
 *   through the server's inspector: server-gc.ts) is back within HEAP_SLACK of the heap after a
 *   full collection at the end of the warm-up;
 * - RSS at the end of the load is within RSS_SLACK of RSS after the warm-up.
 */
const FLOOR_RISE = 16 * 1024 * 1024;
const HEAP_SLACK = 32 * 1024 * 1024;
const RSS_SLACK = 96 * 1024 * 1024;
const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'havre.mjs');
const PASSWORD = 'soak-password-2026';
const REPORTS_PER_CITIZEN = 18; // under the daily quota of 20

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('soak', () => {
  const dir = mkdtempSync(join(tmpdir(), 'havre-soak-'));
  let server: ChildProcess | null = null;
  const logs: string[] = [];
  afterAll(() => {
    server?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    `takes ${MINUTES} min of mixed load at its stated rates: no error, p99 inside the targets, memory flat`,
    async () => {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const databaseUrl = `sqlite:${join(dir, 'havre.sqlite')}`;
      // The inspector (loopback, random port) lets the memory rule force full collections.
      server = spawn(process.execPath, ['--inspect=127.0.0.1:0', BIN, 'serve', '--demo'], {
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

      // Citizens: enough that the daily quota never stops the report stream or the probe; their
      // sessions are made through the database's own sign-in (the auth routes allow 30 a minute).
      const probeEveryMs = 1000;
      const probeCitizens = Math.ceil((MINUTES * 60_000) / probeEveryMs / REPORTS_PER_CITIZEN) + 1;
      const citizens =
        Math.ceil((RATE.reports * MINUTES * 60) / REPORTS_PER_CITIZEN) + RATE.shares + probeCitizens + 10;
      const emails: string[] = [];
      const tokens: string[] = [];
      {
        const db = await openDatabase(databaseUrl);
        try {
          const passwordHash = await hashPassword(PASSWORD);
          for (let i = 0; i < citizens; i++) {
            const email = `soak-${i}@test.example`;
            const id = await createUser(db.kysely, { email, passwordHash, now: Date.now(), verified: true });
            emails.push(email);
            tokens.push(await createSession(db.kysely, id, Date.now(), 86_400_000));
          }
        } finally {
          await db.close();
        }
      }
      const probeTokens = tokens.splice(0, probeCitizens);

      const tally = new Tally();
      let inFlight = 0;
      const call = async (kind: string, path: string, init: RequestInit = {}): Promise<Response | null> => {
        const started = performance.now();
        inFlight += 1;
        try {
          const res = await fetch(`${base}${path}`, init);
          await res.arrayBuffer().catch(() => null);
          tally.count(kind, res.status, performance.now() - started);
          return res;
        } catch {
          tally.count(kind, 'network', performance.now() - started);
          return null;
        } finally {
          inFlight -= 1;
        }
      };
      const callJson = async (kind: string, path: string, init: RequestInit) => {
        const started = performance.now();
        const res = await fetch(`${base}${path}`, init);
        const body = await res.json();
        tally.count(kind, res.status, performance.now() - started);
        return { status: res.status, body, headers: res.headers };
      };
      const login = async (email: string, password = PASSWORD): Promise<string> => {
        const res = await call('login', '/api/auth/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password }),
        });
        if (res?.status !== 200)
          throw new Error(
            `login ${email}: ${res?.status ?? 'no answer'}; server ${server?.exitCode === null ? 'running' : `exited (${server?.exitCode})`}; last lines: ${logs.slice(-5).join('\n')}`,
          );
        return /havre_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';
      };
      const json = (token: string) => ({
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      });
      const staff = await login('mairie.paris17@havre.example', DEMO_PASSWORD);
      const rouen = await login('mairie.rouen@havre.example', DEMO_PASSWORD);

      // Live shares: each sharer on its own socket, one guest watcher each. Delivery latency:
      // from the sharer's send to the guest's frame (same process, same clock).
      const ws = `${base.replace('http', 'ws')}/api/shares/ws`;
      const sockets: WebSocket[] = [];
      const unexpectedCloses: number[] = [];
      const sentAt = new Map<string, number>();
      let stopping = false;
      let acked = 0;
      let delivered = 0;
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
      const sharers: { socket: WebSocket; share: string; key: CryptoKey; seq: number }[] = [];
      const startSharer = async (token: string) => {
        const created = await callJson('share', '/api/shares', {
          method: 'POST',
          headers: json(token),
          body: JSON.stringify({
            mode: 'journey',
            visibility: 'live',
            recipients: [],
            until: new Date(Date.now() + 2 * 86_400_000).toISOString(),
          }),
        });
        expect(created.status).toBe(201);
        const share: string = created.body.id;
        const link = await callJson('guest-link', `/api/shares/${share}/guest-links`, {
          method: 'POST',
          headers: json(token),
          body: JSON.stringify({ expiresAt: new Date(Date.now() + 86_400_000).toISOString() }),
        });
        expect(link.status).toBe(201);
        const socket = await open({ token }, share, (f) => {
          if (f.type === 'ack') acked += 1;
        });
        await open({ guest: link.body.token }, share, (f) => {
          if (f.type !== 'pos') return;
          const key = `${f.share}:${f.seq}`;
          const t0 = sentAt.get(key);
          if (t0 === undefined) return;
          sentAt.delete(key);
          delivered += 1;
          tally.sample('relay', performance.now() - t0);
        });
        sharers.push({ socket, share, key: await generateSessionKey(), seq: 0 });
      };
      const sharerTokens = tokens.slice(tokens.length - RATE.shares);
      for (let i = 0; i < sharerTokens.length; i += 20) {
        await Promise.all(sharerTokens.slice(i, i + 20).map(startSharer));
      }

      // Dashboards on SSE (Paris 17e, where the report stream goes), and the probe's (Rouen).
      const dashboards = [liveFeed(base, '75117', staff), liveFeed(base, '75117', staff)];
      const probeFeed = liveFeed(base, '76540', rouen);
      await Promise.all([...dashboards, probeFeed].map((d) => d.ready));

      const sampleMemory = async () => {
        const text = await (await fetch(`${base}/metrics`)).text();
        const metric = (name: string) =>
          Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN);
        return {
          at: Date.now(),
          heap: metric('havre_nodejs_heap_size_used_bytes'),
          rss: metric('havre_process_resident_memory_bytes'),
          lagP99: metric('havre_nodejs_eventloop_lag_p99_seconds') * 1000,
        };
      };

      // The load, open loop: each kind sends what its rate says is due (a 10 ms clock), and
      // skips a beat when 200 requests are in flight (counted: a timing miss). Skips of the
      // warm-up are counted apart, as its latencies are dropped: the first index build, the JIT,
      // and the full GC forced at its end to measure the heap (in the 30-minute run of
      // 2026-11-29 12:06 all 270 skips were there: the measured nearest answers' max was 66 ms).
      let measuring = false;
      const loadClient = { inFlight: () => inFlight, measuring: () => measuring };
      const clientLag = monitorEventLoopDelay({ resolution: 5 });
      clientLag.enable();
      const startedAt = performance.now();
      const end = Date.now() + MINUTES * 60_000;
      const timers: NodeJS.Timeout[] = [];
      const issued = new Map<string, BeatCount>();
      const every = (kind: string, perSecond: number, work: (n: number) => Promise<unknown>) => {
        const counter: BeatCount = { sent: 0, skipped: 0, warmUpSkipped: 0, perSecond };
        issued.set(kind, counter);
        timers.push(openLoop(counter, loadClient, (n) => void work(n)));
      };
      every('report', RATE.reports, (i) =>
        call('report', '/api/reports', {
          method: 'POST',
          headers: json(tokens[Math.floor(i / REPORTS_PER_CITIZEN) % tokens.length]),
          body: JSON.stringify({
            category: REPORT_CATEGORIES[i % REPORT_CATEGORIES.length],
            role: i % 2 ? 'victim' : 'witness',
            lat: 48.883 + (Math.random() - 0.5) * 0.01,
            lon: 2.32 + (Math.random() - 0.5) * 0.01,
            occurredAt: new Date(Date.now() - 15 * 60_000).toISOString(),
          }),
        }),
      );
      // Nearest refuges, 1,000 a second at full scale: in a thread of their own (nearest-load.ts).
      const nearestLoad = new Worker(new URL('../../src/db/ts-worker.mjs', import.meta.url), {
        workerData: {
          module: new URL('./nearest-load.ts', import.meta.url).href,
          base,
          perSecond: RATE.nearest,
        },
        execArgv: [],
      });
      const nearestDone = new Promise<NearestResult>((resolve, reject) => {
        nearestLoad.once('message', resolve);
        nearestLoad.once('error', reject);
      });
      every('position', RATE.shares / RATE.positionEveryS, async (n) => {
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
        sentAt.set(`${sharer.share}:${seq}`, performance.now());
        sharer.socket.send(JSON.stringify({ type: 'pos', share: sharer.share, seq, c }));
      });
      // Sign-in, a look at /api/me, sign-out: 20 a minute (the auth routes allow 30 per client).
      every('login', 1 / 3, async (n) => {
        const token = await login(emails[n % emails.length]).catch(() => '');
        if (!token) return;
        await call('me', '/api/me', { headers: json(token) });
        await call('logout', '/api/auth/logout', {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
        });
      });
      every('heatmap', 0.5, () =>
        call('heatmap', '/api/territories/75117/heatmap', { headers: json(staff) }),
      );
      // The live probe: one report at a time in Rouen, timed to its acknowledgement and to the
      // dashboard event that counts it.
      let notShown = 0;
      const probe = (async () => {
        for (let i = 0; Date.now() < end; i++) {
          const expected = probeFeed.state.count + 1;
          const t0 = performance.now();
          const res = await call('probe-report', '/api/reports', {
            method: 'POST',
            headers: json(probeTokens[Math.floor(i / REPORTS_PER_CITIZEN) % probeTokens.length]),
            body: JSON.stringify({
              category: 'insecurity',
              role: 'witness',
              lat: 49.44039 + (i % 7) * 0.0005,
              lon: 1.09023,
              occurredAt: new Date(Date.now() - 5 * 60_000).toISOString(),
            }),
          });
          if (res?.status === 201 || res?.status === 202) {
            const shown = await Promise.race([
              probeFeed.reach(expected).then(() => true),
              sleep(10_000).then(() => false),
            ]);
            if (shown) tally.sample('live', performance.now() - t0);
            else notShown += 1;
          }
          await sleep(probeEveryMs);
        }
      })();

      const warmUpMs = Math.min(60_000, MINUTES * 60_000 * 0.25);
      await sleep(warmUpMs);
      // Latencies count after the warm-up (JIT, caches, first index build).
      const inspector = inspectorUrl(logs);
      if (!inspector) throw new Error(`the server printed no inspector URL: ${logs.slice(0, 5).join('\n')}`);
      await collectGarbage(inspector);
      const warmHeap = (await sampleMemory()).heap;
      // HAVRE_SOAK_PROFILE=FILE: the server's CPU profile over the measured load (DevTools format).
      const stopProfile = process.env.HAVRE_SOAK_PROFILE ? await startProfile(inspector) : null;
      for (const list of tally.latencies.values()) list.length = 0;
      measuring = true;
      nearestLoad.postMessage('reset');
      const memory = [await sampleMemory()];
      while (Date.now() < end) {
        await sleep(Math.min(2_000, Math.max(0, end - Date.now())));
        memory.push(await sampleMemory());
      }
      for (const timer of timers) clearInterval(timer);
      nearestLoad.postMessage('stop');
      const nearest = await nearestDone;
      tally.merge('nearest', nearest.statuses, nearest.latencies);
      const { sent, skipped, warmUpSkipped } = nearest;
      issued.set('nearest', { sent, skipped, warmUpSkipped, perSecond: RATE.nearest });
      if (stopProfile)
        writeFileSync(process.env.HAVRE_SOAK_PROFILE as string, JSON.stringify(await stopProfile()));
      await probe;
      const loadSeconds = (performance.now() - startedAt) / 1000;
      clientLag.disable();
      while (inFlight > 0) await sleep(50);
      await sleep(1_000); // the last positions' deliveries
      const endOfLoad = memory[memory.length - 1];
      stopping = true;
      for (const d of [...dashboards, probeFeed]) d.close();
      for (const socket of sockets) socket.close();
      await sleep(10_000); // idle: sockets released
      await collectGarbage(inspector);
      const after = await sampleMemory();

      // Memory: the heap floor of each eighth of the measured run.
      const eighths = Array.from({ length: 8 }, (_, k) =>
        memory.slice(Math.floor((k * memory.length) / 8), Math.floor(((k + 1) * memory.length) / 8)),
      );
      const floors = eighths.map((e) => Math.min(...e.map((s) => s.heap)));
      const lastHalf = floors.slice(4);
      const risingFloor =
        lastHalf.every((f, k) => k === 0 || f > lastHalf[k - 1]) && lastHalf[3] - lastHalf[0] > FLOOR_RISE;

      const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
      const rates = [...issued].map(
        ([kind, c]) =>
          `${kind} ${(c.sent / loadSeconds).toFixed(1)}/s sent of ${c.perSecond.toFixed(1)}/s (${c.skipped} skipped, ${c.warmUpSkipped} in the warm-up)`,
      );
      const summary = [
        `soak ${MINUTES} min, scale ${SCALE}, ${citizens} citizens, ${RATE.shares} shares`,
        tally.summary(),
        `rates: ${rates.join(', ')}`,
        `relay: ${acked} acks, ${delivered} deliveries timed, ${sentAt.size} not delivered; SSE ${dashboards.map((d) => d.state.bytes).join('+')} bytes`,
        `heap MB: after warm-up (full GC) ${mb(warmHeap)}, floors ${floors.map(mb).join(' ')}, end of load ${mb(endOfLoad.heap)}, after idle (full GC) ${mb(after.heap)}`,
        `RSS MB: after warm-up ${mb(memory[0].rss)}, end of load ${mb(endOfLoad.rss)}, after idle ${mb(after.rss)}`,
        `event-loop lag p99: server ${Math.max(...memory.map((s) => s.lagP99)).toFixed(1)} ms (worst 2 s sample), load generator ${(clientLag.percentile(99) / 1e6).toFixed(1)} ms`,
      ].join('\n');
      console.info(summary);

      // No error.
      expect(tally.fiveHundreds).toEqual([]);
      expect([...tally.statuses.keys()].filter((k) => k.endsWith(' network'))).toEqual([]);
      // Every answer is one the load expects.
      const expected =
        /^(login 200|share 201|guest-link 201|nearest 200|(probe-)?report 20[12]|heatmap 200|me 200|logout 204)$/;
      expect([...tally.statuses.keys()].filter((k) => !expected.test(k))).toEqual([]);
      expect(unexpectedCloses).toEqual([]);
      expect(acked).toBeGreaterThan(0);
      expect(sentAt.size, 'positions never delivered to their guest watcher').toBe(0);
      expect(notShown, 'probe reports the dashboard did not show within 10 s').toBe(0);
      expect(logs.filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
      expect(server.exitCode).toBeNull();

      // The stated rates were sent, with p99 inside the targets: one verdict listing every miss,
      // with what the two processes' event loops went through (a saturated machine shows there:
      // a client whose own loop lags cannot time anything shorter than its lag).
      const misses: string[] = [];
      const timingMisses: string[] = [];
      for (const [kind, c] of issued) {
        // A skipped beat is a timing verdict like p99 (200 requests in flight at once): judged with it.
        if (c.skipped > 0) timingMisses.push(`${kind}: ${c.skipped} beats skipped (200 requests in flight)`);
        // The generator's own schedule: beats sent or skipped (skips are judged just above).
        if (beats(c) / loadSeconds < 0.9 * c.perSecond)
          misses.push(`${kind}: ${(c.sent / loadSeconds).toFixed(1)}/s sent, ${c.perSecond}/s stated`);
      }
      const p99 = {
        nearest: tally.p99('nearest'),
        relay: tally.p99('relay'),
        reportAck: p(
          [...(tally.latencies.get('report') ?? []), ...(tally.latencies.get('probe-report') ?? [])],
          0.99,
        ),
        live: tally.p99('live'),
      };
      const latencyMisses: string[] = timingMisses;
      for (const [kind, ms] of Object.entries(TARGET)) {
        const measured = p99[kind as keyof typeof p99];
        if (!(measured < ms)) latencyMisses.push(`${kind} p99 ${measured.toFixed(2)} ms (target < ${ms} ms)`);
      }
      if (LATENCY === 'report') {
        console.warn(`p99 targets (reported, not asserted): ${latencyMisses.join('; ') || 'all met'}`);
      } else misses.push(...latencyMisses);
      expect(misses, summary).toEqual([]);

      // Memory flat.
      expect(risingFloor, `heap floor rose through the last half: ${floors.map(mb).join(' ')} MB`).toBe(
        false,
      );
      expect(after.heap).toBeLessThanOrEqual(warmHeap + HEAP_SLACK);
      expect(endOfLoad.rss).toBeLessThanOrEqual(memory[0].rss + RSS_SLACK);
    },
    (MINUTES + 10) * 60_000,
  );
});
