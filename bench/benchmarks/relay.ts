/**
 * Live relay: S sharers and W watchers (2 per share) on one Havre instance, updates every
 * 5 s: delivery latency and memory per socket; then saturation (each sharer sends as soon as
 * its watchers got the previous frame): deliveries per second. The same generator processes
 * drive, in the same run and alternating, Mosquitto (MQTT 3.1.1 QoS 0, started here on its
 * own port) and a minimal `ws` relay with no logic. Payloads are the same bytes everywhere.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoopStats } from '../lib/loop-watch.ts';
import { createTempDb } from '../lib/pg.ts';
import {
  atExit,
  cpuMsOf,
  type Rpc,
  rssOf,
  startChild,
  startProgram,
  stopProgram,
  threadCpuMsOf,
} from '../lib/proc.ts';
import type { BenchContext, BenchReport, Row } from '../lib/report.ts';
import { median, round, sleep, summarize } from '../lib/stats.ts';
import type { ShareSpec } from '../relay/generator.ts';

type Kind = 'havre' | 'havrePg' | 'mqtt' | 'ws';
const NAMES: Record<Kind, string> = {
  havrePg: 'Havre relay, PostgreSQL behind it',
  havre: 'Havre relay',
  mqtt: 'Mosquitto (MQTT QoS 0)',
  ws: 'minimal ws relay',
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
    s.on('error', reject);
  });
}

async function waitPort(port: number): Promise<void> {
  const { connect } = await import('node:net');
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`port ${port} never opened`);
}

export async function relay(ctx: BenchContext): Promise<BenchReport> {
  const P = ctx.quick
    ? {
        sharers: 500,
        watchersPerShare: 2,
        steadyMs: 5_500,
        intervalMs: 5_000,
        saturationRounds: 1,
        saturationMs: 2_500,
        generators: 2,
      }
    : {
        sharers: 5_000,
        watchersPerShare: 2,
        steadyMs: 30_000,
        intervalMs: 5_000,
        saturationRounds: 3,
        saturationMs: 6_000,
        generators: 4,
      };
  // HAVRE_BENCH_RELAY_SHARERS=N, HAVRE_BENCH_RELAY_STEADY_MS=MS: another size or steady duration
  // (a loaded machine may not take the full size; stalls that come with a growing WAL need time).
  if (process.env.HAVRE_BENCH_RELAY_SHARERS) P.sharers = Number(process.env.HAVRE_BENCH_RELAY_SHARERS);
  if (process.env.HAVRE_BENCH_RELAY_STEADY_MS) P.steadyMs = Number(process.env.HAVRE_BENCH_RELAY_STEADY_MS);
  const sockets = P.sharers * (1 + P.watchersPerShare);
  const rows: Row[] = [];
  const notes: string[] = [];
  const details: Record<string, unknown> = {};
  const dir = mkdtempSync(join(tmpdir(), 'havre-bench-relay-'));
  atExit(() => rmSync(dir, { recursive: true, force: true }));
  const stops: (() => Promise<void>)[] = [];
  try {
    // ---- servers ----
    const havre = await startChild('servers/havre.ts', {
      env: { HAVRE_DATABASE_URL: `sqlite:${join(dir, 'havre.sqlite')}`, BENCH_DATA_DIR: dir },
      execArgv: ['--expose-gc'],
    });
    stops.push(() => havre.stop());
    // The same relay with PostgreSQL behind it: its trail commits wait in PostgreSQL's
    // process, not on the relay's event loop (better-sqlite3 commits, fsync included, are
    // synchronous). Steady phase only.
    const pgDb = await createTempDb('relay');
    stops.push(() => pgDb.drop());
    const havrePg = await startChild('servers/havre.ts', {
      env: { HAVRE_DATABASE_URL: pgDb.url, BENCH_DATA_DIR: dir },
      execArgv: ['--expose-gc'],
    });
    stops.push(() => havrePg.stop());
    const minimal = await startChild('servers/ws-minimal.ts', { execArgv: ['--expose-gc'] });
    stops.push(() => minimal.stop());
    const mqttPort = await freePort();
    const mosquitto = startProgram('mosquitto', ['-p', String(mqttPort)]);
    stops.push(() => stopProgram(mosquitto));
    await waitPort(mqttPort);
    const ports: Record<Kind, number> = {
      havre: havre.ready.port as number,
      havrePg: havrePg.ready.port as number,
      mqtt: mqttPort,
      ws: minimal.ready.port as number,
    };

    const shares = await havre.call<ShareSpec[]>('shares', {
      sharers: P.sharers,
      watchersPerShare: P.watchersPerShare,
    });
    const sharesPg = await havrePg.call<ShareSpec[]>('shares', {
      sharers: P.sharers,
      watchersPerShare: P.watchersPerShare,
    });
    const ciphertext = randomBytes(157).toString('base64url'); // a sealed position: 1 + 12 + 128 padded JSON + 16 tag
    const gens: Rpc[] = [];
    for (let g = 0; g < P.generators; g++) {
      const gen = await startChild('relay/generator.ts');
      gens.push(gen);
      stops.push(() => gen.stop());
    }
    const part = (g: number, kind: Kind) =>
      (kind === 'havrePg' ? sharesPg : shares).filter((_, i) => i % P.generators === g);

    // ---- connect, with memory before/after ----
    const memory = async (kind: Kind) => {
      if (kind === 'havre') return ((await havre.call('memory')) as { rss: number }).rss;
      if (kind === 'havrePg') return ((await havrePg.call('memory')) as { rss: number }).rss;
      if (kind === 'ws') return ((await minimal.call('memory')) as { rss: number }).rss;
      return rssOf(mosquitto.pid as number);
    };
    const perSocketKB: Partial<Record<Kind, number>> = {};
    // Sockets dropped by Havre's 1 s auth deadline while thousands connect at once, then retried.
    const connectRetries: Partial<Record<Kind, number>> = {};
    for (const kind of ['havre', 'havrePg', 'mqtt', 'ws'] as Kind[]) {
      const before = await memory(kind);
      const t0 = performance.now();
      const connected = await Promise.all(
        gens.map((gen, g) =>
          gen.call<{ retries: number }>('connect', {
            kind,
            port: ports[kind],
            shares: part(g, kind),
            ciphertext,
          }),
        ),
      );
      connectRetries[kind] = connected.reduce((n, c) => n + c.retries, 0);
      await sleep(1000);
      const after = await memory(kind);
      perSocketKB[kind] = (after - before) / sockets / 1024;
      ctx.log(
        `relay: ${sockets} sockets on ${NAMES[kind]} in ${((performance.now() - t0) / 1000).toFixed(1)} s, ${perSocketKB[kind]?.toFixed(1)} KB/socket`,
      );
    }

    // ---- steady: updates every 5 s ----
    const slowBySecond: Partial<Record<Kind, Record<string, number>>> = {};
    // The servers' own event loops during the phase (bench/lib/loop-watch.ts): a stall of the
    // relay shows there, while the clients' latency also holds the machine's load.
    const loops: Partial<Record<Kind, LoopStats & { slowSql?: { ms: number; sql: string }[] }>> = {};
    const watched: Partial<Record<Kind, Rpc>> = { havre, havrePg, ws: minimal };
    const steady: Partial<Record<Kind, ReturnType<typeof summarize> & { sent: number; delivered: number }>> =
      {};
    for (const kind of ['havre', 'mqtt', 'ws', 'havrePg'] as Kind[]) {
      // HAVRE_BENCH_PROFILE_STEADY=FILE: CPU profile of Havre's (SQLite) steady phase.
      const profile = kind === 'havre' ? process.env.HAVRE_BENCH_PROFILE_STEADY : undefined;
      if (profile) await havre.call('profileStart');
      await watched[kind]?.call('loopReset');
      const parts = await Promise.all(
        gens.map((gen) =>
          gen.call<{ sent: number; delivered: number; latencies: number[]; slow: number[] }>('steady', {
            kind,
            durationMs: P.steadyMs,
            intervalMs: P.intervalMs,
          }),
        ),
      );
      const loop = await watched[kind]?.call<LoopStats & { slowSql?: { ms: number; sql: string }[] }>(
        'loopRead',
      );
      if (loop) loops[kind] = loop;
      if (profile) ctx.log(`relay: steady profile in ${await havre.call('profileStop', { file: profile })}`);
      const all = parts.flatMap((p) => p.latencies);
      steady[kind] = {
        ...summarize(all),
        sent: parts.reduce((s, p) => s + p.sent, 0),
        delivered: parts.reduce((s, p) => s + p.delivered, 0),
      };
      // Deliveries slower than 10 ms per second of the phase (send instant): a burst shows a stall.
      const perSecond: Record<string, number> = {};
      for (const t of parts.flatMap((p) => p.slow))
        perSecond[Math.floor(t)] = (perSecond[Math.floor(t)] ?? 0) + 1;
      slowBySecond[kind] = perSecond;
      const gcMax = loop ? Math.max(0, ...Object.values(loop.gc).map((g) => g.maxMs)) : 0;
      ctx.log(
        `relay steady ${NAMES[kind]}: p99 ${steady[kind]?.p99Ms} ms, ${steady[kind]?.delivered}/${(steady[kind]?.sent ?? 0) * P.watchersPerShare} delivered${loop ? `; server event-loop delay max ${loop.delayMaxMs} ms, p99 ${loop.delayP99Ms} ms, ${loop.longTicks.length} ticks ≥ 10 ms, longest GC pause ${gcMax} ms` : ''}${loop?.slowSql ? `, ${loop.slowSql.length} main-thread SQLite statements ≥ 5 ms (longest ${Math.max(0, ...loop.slowSql.map((q) => q.ms))} ms)` : ''}`,
      );
    }
    const havreRssSteady = await rssOf(havre.pid);

    // ---- saturation, alternating ----
    const sat: Record<
      Kind,
      {
        rate: number;
        p50: number;
        p99: number;
        cpuUsPerDelivery: number;
        generatorCpuUsPerDelivery: number;
      }[]
    > = {
      havre: [],
      havrePg: [],
      mqtt: [],
      ws: [],
    };
    const serverPid: Record<Kind, number> = {
      havre: havre.pid,
      havrePg: havrePg.pid,
      mqtt: mosquitto.pid as number,
      ws: minimal.pid,
    };
    for (let r = 0; r < P.saturationRounds; r++) {
      const order: Kind[] = r % 2 === 0 ? ['havre', 'mqtt', 'ws'] : ['ws', 'mqtt', 'havre'];
      for (const kind of order) {
        // HAVRE_BENCH_PROFILE=FILE: CPU profile of Havre's first saturation round (node:inspector).
        const profile = kind === 'havre' && r === 0 ? process.env.HAVRE_BENCH_PROFILE : undefined;
        if (profile) await havre.call('profileStart');
        const cpu0 = await cpuMsOf(serverPid[kind]);
        const threads0 = await threadCpuMsOf(serverPid[kind]);
        const genCpu = async () =>
          (await Promise.all(gens.map((g) => cpuMsOf(g.pid)))).reduce((a, b) => a + b, 0);
        const gen0 = await genCpu();
        const parts = await Promise.all(
          gens.map((gen) =>
            gen.call<{ delivered: number; ms: number; p50: number; p99: number }>('saturate', {
              kind,
              durationMs: P.saturationMs,
            }),
          ),
        );
        const cpuMs = (await cpuMsOf(serverPid[kind])) - cpu0;
        const threads1 = await threadCpuMsOf(serverPid[kind]);
        const genMs = (await genCpu()) - gen0;
        if (profile) ctx.log(`relay: profile in ${await havre.call('profileStop', { file: profile })}`);
        const rate = parts.reduce((s, p) => s + (p.delivered / p.ms) * 1000, 0);
        const count = parts.reduce((s, p) => s + p.delivered, 0);
        // Server CPU per delivery by thread: the main thread's, then the others' (the trail
        // worker, V8's GC helpers, libuv's pool), busiest first: where Havre's extra goes.
        const perDelivery = (ms: number) => round((ms * 1000) / Math.max(1, count), 2);
        const threads = Object.entries(threads1)
          .map(([id, ms]) => [id, perDelivery(ms - (threads0[id] ?? 0))] as const)
          .filter(([, us]) => us > 0)
          .sort((a, b) => (a[0] === 'main' ? -1 : b[0] === 'main' ? 1 : b[1] - a[1]));
        ctx.log(
          `relay saturation ${NAMES[kind]}: server CPU per delivery by thread ${threads.map(([id, us]) => `${id} ${us} µs`).join(', ')}`,
        );
        sat[kind].push({
          rate,
          p50: median(parts.map((p) => p.p50)),
          p99: Math.max(...parts.map((p) => p.p99)),
          // Server CPU per delivered frame: what the server costs, whoever limits throughput.
          cpuUsPerDelivery: (cpuMs * 1000) / Math.max(1, count),
          // The generators' CPU per delivery: is the load fair (same work per peer) and not the limit?
          generatorCpuUsPerDelivery: (genMs * 1000) / Math.max(1, count),
        });
        await sleep(500);
      }
    }
    const satMedian = (kind: Kind) => median(sat[kind].map((s) => s.rate));
    const pairRatio = (peer: Kind) => median(sat.havre.map((h, i) => h.rate / sat[peer][i].rate));
    ctx.log(
      `relay saturation: Havre ${Math.round(satMedian('havre'))}/s, Mosquitto ${Math.round(satMedian('mqtt'))}/s, ws ${Math.round(satMedian('ws'))}/s`,
    );
    const havreRssPeak = Math.max(havreRssSteady, await rssOf(havre.pid));

    for (const gen of gens)
      for (const kind of ['havre', 'havrePg', 'mqtt', 'ws'] as Kind[]) await gen.call('close', { kind });

    // ---- rows ----
    const s = steady as Record<Kind, ReturnType<typeof summarize> & { sent: number; delivered: number }>;
    rows.push({
      measure: `${P.sharers.toLocaleString('en')} sharers + ${(P.sharers * P.watchersPerShare).toLocaleString('en')} watchers, update every ${P.intervalMs / 1000} s: delivery latency`,
      havre: { p50Ms: s.havre.p50Ms, p99Ms: s.havre.p99Ms },
      peer: { name: NAMES.mqtt, p50Ms: s.mqtt.p50Ms, p99Ms: s.mqtt.p99Ms },
      target: 'Havre p99 < 10 ms',
      pass: s.havre.p99Ms < 10 && s.havre.delivered >= s.havre.sent * P.watchersPerShare * 0.99,
    });
    rows.push({
      measure: 'same load, the same relay with PostgreSQL behind it (trail commits off the event loop)',
      havre: { p50Ms: s.havre.p50Ms, p99Ms: s.havre.p99Ms },
      peer: { name: NAMES.havrePg, p50Ms: s.havrePg.p50Ms, p99Ms: s.havrePg.p99Ms },
      target: 'p99 < 10 ms',
      pass: s.havrePg.p99Ms < 10 && s.havrePg.delivered >= s.havrePg.sent * P.watchersPerShare * 0.99,
    });
    rows.push({
      measure: 'same, vs the minimal ws relay',
      havre: { p50Ms: s.havre.p50Ms, p99Ms: s.havre.p99Ms },
      peer: { name: NAMES.ws, p50Ms: s.ws.p50Ms, p99Ms: s.ws.p99Ms },
      pass: null,
    });
    rows.push({
      measure: 'server memory per socket (RSS after connect − before) / sockets',
      havre: { value: perSocketKB.havre, valueUnit: 'KB' },
      peer: {
        name: `${NAMES.mqtt}; minimal ws ${perSocketKB.ws?.toFixed(1)} KB`,
        value: perSocketKB.mqtt,
        valueUnit: 'KB',
      },
      ratio: round((perSocketKB.havre ?? 0) / (perSocketKB.ws ?? 1), 2),
      ratioMeaning: 'Havre / minimal ws',
      target: '≤ 10 KB per socket',
      pass: (perSocketKB.havre ?? Infinity) <= 10,
    });
    const rm = pairRatio('mqtt');
    const rw = pairRatio('ws');
    const fig = (k: Kind) => ({
      throughput: satMedian(k),
      unit: 'deliveries/s',
      p50Ms: round(median(sat[k].map((x) => x.p50)), 2),
      p99Ms: round(median(sat[k].map((x) => x.p99)), 2),
    });
    rows.push({
      measure: 'saturation throughput vs Mosquitto',
      havre: fig('havre'),
      peer: { name: NAMES.mqtt, ...fig('mqtt') },
      ratio: round(rm, 2),
      ratioMeaning: 'Havre / peer, median of paired rounds',
      target: '≥ 1.0×',
      pass: rm >= 1.0,
    });
    rows.push({
      measure: 'saturation throughput vs minimal ws relay',
      havre: fig('havre'),
      peer: { name: NAMES.ws, ...fig('ws') },
      ratio: round(rw, 2),
      ratioMeaning: 'Havre / peer, median of paired rounds',
      target: '≥ 0.8×',
      pass: rw >= 0.8,
    });
    /** A CPU-per-delivery row: Havre against the minimal ws relay, Mosquitto named. */
    const cpuRow = (
      measure: string,
      field: 'cpuUsPerDelivery' | 'generatorCpuUsPerDelivery',
      meaning: string,
    ) => {
      const of = (k: Kind) => median(sat[k].map((x) => x[field]));
      rows.push({
        measure,
        havre: { value: round(of('havre'), 1), valueUnit: 'µs CPU' },
        peer: {
          name: `${NAMES.ws}; Mosquitto ${of('mqtt').toFixed(1)} µs`,
          value: round(of('ws'), 1),
          valueUnit: 'µs CPU',
        },
        ratio: round(of('havre') / of('ws'), 2),
        ratioMeaning: meaning,
        pass: null,
      });
    };
    cpuRow(
      'server CPU per delivered update at saturation (Havre also stores each position and acks it)',
      'cpuUsPerDelivery',
      'CPU Havre / minimal ws (lower is better)',
    );
    cpuRow(
      'load generators’ CPU per delivered update at saturation (all generator processes)',
      'generatorCpuUsPerDelivery',
      'generators on Havre / on minimal ws (Havre’s sharers also receive acks)',
    );
    details.steady = steady;
    details.steadyServerLoops = loops;
    details.connectRetries = connectRetries;
    details.steadySlowDeliveriesBySecond = slowBySecond;
    details.saturationRounds = sat;
    details.memoryPerSocketKB = perSocketKB;
    notes.push(
      `relay: ${P.generators} generator processes, ${sockets.toLocaleString('en')} sockets per system; Havre persists every position (trail, SQLite group commit) and acks each to its sharer; the peers only forward`,
    );
    return {
      name: 'relay',
      parameters: {
        ...P,
        sockets,
        payloadBytes: Buffer.byteLength(
          `{"type":"pos","share":"${shares[0]?.share}","seq":1795880000000000,"c":"${ciphertext}"}`,
        ),
        havreDatabase: 'SQLite',
      },
      rows,
      peakMemoryMB: round(havreRssPeak / 2 ** 20, 1),
      notes,
      details,
    };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}
