/**
 * Profiling and A/B aid for GET /api/places/nearest (not part of `npm run bench`): Havre with
 * 100,000 places under the benchmark's closed-loop load (16 connections, Saturday 22:00, 5
 * nearest open), server CPU per request from /proc, alternating rounds with Havre's
 * /api/health, the constant Fastify route and, with `--ab DIR`, the same server from another
 * checkout (DIR, e.g. `git archive <commit> | tar -x -C DIR` with node_modules linked).
 * `--profile FILE` writes a CPU profile of one nearest round and prints self and total time.
 *
 *   node --import tsx bench/profile-nearest.ts [--seconds 4] [--rounds 3] [--ab DIR] [--profile FILE]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { closedLoop, encodeRequest, type Target } from './lib/http-load.ts';
import { INSTANTS, synthQueries } from './lib/places-data.ts';
import { cpuMsOf, type Rpc, startChild } from './lib/proc.ts';
import { median } from './lib/stats.ts';

const { values: opts } = parseArgs({
  options: {
    seconds: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '3' },
    ab: { type: 'string' },
    profile: { type: 'string' },
    perf: { type: 'string' },
  },
});
const ms = Number(opts.seconds) * 1000;
const dirs: string[] = [];
const children: Rpc[] = [];

async function havreServer(script: string): Promise<Rpc> {
  const dir = mkdtempSync(join(tmpdir(), 'havre-prof-'));
  dirs.push(dir);
  const child = await startChild(script, {
    // perf resolves JIT-compiled JavaScript through /tmp/perf-PID.map.
    ...(opts.perf ? { execArgv: ['--perf-basic-prof'] } : {}),
    env: { HAVRE_DATABASE_URL: `sqlite:${join(dir, 'havre.sqlite')}`, BENCH_DATA_DIR: dir },
  });
  children.push(child);
  await child.call('loadPlaces', { n: 100_000, seed: 42 });
  return child;
}

interface Subject {
  name: string;
  server: Rpc;
  requests: Buffer[];
  cpu: number[];
  user: number[];
  rps: number[];
}

/** User-mode CPU of a process (ms): the JavaScript, without the kernel's share. */
function userMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[11]) * 10;
}

try {
  const iso = new Date(INSTANTS['Saturday 22:00']).toISOString();
  const queries = synthQueries(2000);
  const subject = (name: string, server: Rpc, path: (la: number, lo: number) => string): Subject => {
    const target: Target = { host: '127.0.0.1', port: server.ready.port as number };
    const requests = queries.map(([la, lo]) => encodeRequest(target, 'GET', path(la, lo)));
    return { name, server, requests, cpu: [], user: [], rps: [] };
  };
  const nearestPath = (la: number, lo: number) =>
    `/api/places/nearest?lat=${la.toFixed(5)}&lon=${lo.toFixed(5)}&limit=5&openOnly=true&at=${iso}`;
  const havre = await havreServer('servers/havre.ts');
  const subjects = [
    subject('nearest', havre, nearestPath),
    subject('health', havre, () => '/api/health'),
    subject('constant', await startChild('servers/fastify-constant.ts'), nearestPath),
  ];
  children.push(subjects[2].server);
  if (opts.ab)
    subjects.push(
      subject('nearest (--ab)', await havreServer(join(opts.ab, 'bench/servers/havre.ts')), nearestPath),
    );
  const load = async (s: Subject, duration: number) => {
    const target: Target = { host: '127.0.0.1', port: s.server.ready.port as number };
    const c0 = await cpuMsOf(s.server.pid);
    const u0 = userMsOf(s.server.pid);
    const r = await closedLoop({
      target,
      connections: 16,
      durationMs: duration,
      request: (i) => s.requests[i % s.requests.length],
    });
    if (Object.keys(r.statuses).some((k) => k !== '200'))
      throw new Error(`${s.name}: ${JSON.stringify(r.statuses)}`);
    const user = ((userMsOf(s.server.pid) - u0) * 1000) / r.requests;
    s.user.push(user);
    return { rps: r.rps, cpu: (((await cpuMsOf(s.server.pid)) - c0) * 1000) / r.requests };
  };
  for (const s of subjects) await load(s, 1500); // warm-up
  for (let round = 0; round < Number(opts.rounds); round++) {
    const order = round % 2 === 0 ? subjects : [...subjects].reverse();
    for (const s of order) {
      const r = await load(s, ms);
      s.rps.push(r.rps);
      s.cpu.push(r.cpu);
    }
  }
  const constant = subjects[2];
  for (const s of subjects) {
    const ratios = s.rps.map((v, k) => v / constant.rps[k]);
    console.log(
      `${s.name.padEnd(16)} ${Math.round(median(s.rps)).toString().padStart(6)} req/s  ${median(s.cpu).toFixed(0).padStart(4)} µs CPU/req (user ${median(s.user).toFixed(0)})  ` +
        `${median(ratios).toFixed(2)}× constant (rounds: ${s.cpu.map((c) => c.toFixed(0)).join(' ')} µs)`,
    );
  }
  if (opts.ab) {
    const [now, before] = [subjects[0], subjects[3]];
    const paired = now.rps.map((v, k) => v / before.rps[k]);
    console.log(
      `nearest now / --ab: ${median(paired).toFixed(2)}× req/s, CPU/req ${median(now.cpu).toFixed(0)} vs ${median(before.cpu).toFixed(0)} µs`,
    );
  }
  if (opts.perf) {
    // CPU samples (user mode: what the process itself runs), unlike the V8 profiler's wall-clock ones.
    const perf = spawn(
      'perf',
      ['record', '-e', 'cpu-clock:u', '-F', '2000', '-g', '-o', opts.perf, '-p', String(havre.pid)],
      {
        stdio: 'ignore',
      },
    );
    await new Promise((r) => setTimeout(r, 500));
    await load(subjects[0], ms);
    perf.kill('SIGINT');
    await new Promise((r) => perf.once('exit', r));
    console.log(`perf report -i ${opts.perf} --no-children --sort symbol`);
  }
  if (opts.profile) {
    await havre.call('profileStart');
    await load(subjects[0], ms);
    await havre.call('profileStop', { file: opts.profile });
    printProfile(opts.profile);
  }
} finally {
  for (const c of children) await c.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}

/** Self and total (inclusive) share of the busy samples per function. */
function printProfile(file: string) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: {
      id: number;
      children?: number[];
      callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    }[];
    samples: number[];
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (id: number) => {
    const f = (byId.get(id) as (typeof profile.nodes)[number]).callFrame;
    return `${f.functionName || '(anon)'} ${f.url.replace(/.*node_modules\//, '').replace(/.*\/src\//, '')}:${f.lineNumber + 1}:${f.columnNumber}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let busy = 0;
  for (const id of profile.samples) {
    if (name(id).startsWith('(idle)')) continue;
    busy++;
    self.set(name(id), (self.get(name(id)) ?? 0) + 1);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) seen.add(name(cur));
    for (const k of seen) total.set(k, (total.get(k) ?? 0) + 1);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `${((v / busy) * 100).toFixed(1).padStart(5)} %  ${k}`);
  console.log(
    `\nself (of ${busy} busy samples):\n${top(self, 30).join('\n')}\n\ntotal:\n${top(total, 50).join('\n')}`,
  );
}
