/**
 * Report intake: acknowledged, durable reports per second over HTTP (`POST /api/reports`,
 * N concurrent signed-in clients, each answered only after its group commit), on SQLite
 * (synchronous=FULL) and PostgreSQL (synchronous_commit=on), alternating rounds with a plain
 * single-row INSERT loop (one durable commit per row, the same table and indexes) on the same
 * engine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { closedLoop, encodeRequest, type LoadResult, type Target } from '../lib/http-load.ts';
import { liveProbe } from '../lib/live-probe.ts';
import { createTempDb } from '../lib/pg.ts';
import { lcg } from '../lib/places-data.ts';
import { atExit, cpuMsOf, rssOf, startChild } from '../lib/proc.ts';
import type { BenchContext, BenchReport, Row } from '../lib/report.ts';
import { median, round, Samples, summarize } from '../lib/stats.ts';

const TABLE = `CREATE TABLE reports (
  id TEXT PRIMARY KEY, territory_code TEXT NOT NULL, category TEXT NOT NULL, role TEXT NOT NULL,
  cell10 TEXT NOT NULL, cell9 TEXT NOT NULL, cell8 TEXT NOT NULL, cell7 TEXT NOT NULL,
  hour_bucket BIGINT NOT NULL, day TEXT NOT NULL, iso_week TEXT NOT NULL, hour_of_day INTEGER NOT NULL,
  weekday INTEGER NOT NULL, description TEXT, status TEXT NOT NULL, synthetic INTEGER NOT NULL DEFAULT 0)`;
const INDEXES = [
  'CREATE INDEX reports_cell_hour ON reports (cell9, hour_bucket)',
  'CREATE INDEX reports_status ON reports (status, territory_code, hour_bucket)',
  'CREATE INDEX reports_hour ON reports (hour_bucket)',
  'CREATE INDEX reports_territory_day ON reports (territory_code, day)',
];
const ROW = (i: number) => [
  `${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
  '75117',
  'following',
  'victim',
  '8a1fb46622dffff',
  '891fb46622fffff',
  '881fb46623fffff',
  '871fb4662ffffff',
  1795881600000 + (i % 24) * 3_600_000,
  '2026-11-28',
  '2026-W48',
  21,
  6,
  null,
  'accepted',
  0,
];

const LIMITS_OFF = { dailyQuota: 1_000_000_000, burstThreshold: 1_000_000_000 };

/** A single-row INSERT per durable commit, for `ms`. Returns commits/s and latencies. */
async function insertLoop(insert: (i: number) => Promise<void> | void, ms: number, start: number) {
  const lat = new Samples();
  const t0 = performance.now();
  let i = start;
  while (performance.now() - t0 < ms) {
    const t = performance.now();
    await insert(i++);
    lat.push(performance.now() - t);
  }
  return { rps: (lat.length / (performance.now() - t0)) * 1000, latency: summarize(lat.values()), next: i };
}

export async function intake(ctx: BenchContext): Promise<BenchReport> {
  const P = ctx.quick
    ? { clients: 64, rounds: 1, roundMs: 1_500, insertMs: 1_000 }
    : { clients: 128, rounds: 4, roundMs: 8_000, insertMs: 4_000 };
  const rows: Row[] = [];
  const notes: string[] = [];
  const details: Record<string, unknown> = {};
  const dir = mkdtempSync(join(tmpdir(), 'havre-bench-intake-'));
  atExit(() => rmSync(dir, { recursive: true, force: true }));
  const havreDb = await createTempDb('intake');
  const plainDb = await createTempDb('intake_plain');
  // BENCH_INTAKE_BASELINE=/path/to/another/checkout: its Havre runs too, alternating, for a
  // before/after in the same run (node_modules must be reachable from it).
  const baselineDir = process.env.BENCH_INTAKE_BASELINE;
  const baseDb = baselineDir ? await createTempDb('intake_base') : null;
  const stops: (() => Promise<void>)[] = [];
  let peakRss = 0;
  try {
    // HAVRE_BENCH_INTAKE_ENGINES=PostgreSQL: one engine only (while working on it).
    const only = process.env.HAVRE_BENCH_INTAKE_ENGINES?.split(',');
    for (const engine of (['SQLite', 'PostgreSQL'] as const).filter((e) => !only || only.includes(e))) {
      const havre = await startChild('servers/havre.ts', {
        env: {
          HAVRE_DATABASE_URL: engine === 'SQLite' ? `sqlite:${join(dir, 'havre.sqlite')}` : havreDb.url,
          BENCH_DATA_DIR: dir,
        },
      });
      stops.push(() => havre.stop());
      await havre.call('territories');
      // One account stands for many citizens, and 128 clients in 1 km² would be a burst: both
      // limits raised, so every report takes the full path (accepted, aggregates, live feed).
      await havre.call('configureReports', LIMITS_OFF);
      const users = await havre.call<[string, string][]>('users', {
        n: P.clients,
        prefix: `citizen-${engine}`,
      });
      const target: Target = { host: '127.0.0.1', port: havre.ready.port as number };
      // The live-feed probe: a Rouen staff dashboard and one more citizen posting in Rouen.
      const staffToken = await havre.call<string>('staff', { territory: '76540', prefix: `staff-${engine}` });
      const [[, probeToken]] = await havre.call<[string, string][]>('users', {
        n: 1,
        prefix: `probe-${engine}`,
      });
      const liveDelays: number[] = [];
      const probeOptions = {
        code: '76540',
        point: (rand: () => number) => ({ lat: 49.437 + rand() * 0.008, lon: 1.08 + rand() * 0.02 }),
        pauseMs: 50,
      };
      // Points inside Paris 17e (its bbox core), a few minutes ago.
      const rand = lcg(11);
      const occurredAt = new Date(Date.now() - 10 * 60_000).toISOString();
      const bodies = Array.from({ length: 1000 }, () =>
        JSON.stringify({
          category: 'following',
          role: rand() < 0.7 ? 'victim' : 'witness',
          lat: 48.884 + rand() * 0.006,
          lon: 2.305 + rand() * 0.015,
          occurredAt,
        }),
      );
      // Each connection is one citizen (its own bearer token).
      const reqs = users.map(([, token]) =>
        bodies.map((b) =>
          encodeRequest(target, 'POST', '/api/reports', { authorization: `Bearer ${token}` }, b),
        ),
      );
      let conn = 0;
      const perConn = new Map<number, number>();
      const request = (i: number) => {
        const c = perConn.get(i) ?? conn++ % P.clients;
        return reqs[c][i % 1000];
      };
      const base = baselineDir
        ? await startChild(join(baselineDir, 'bench/servers/havre.ts'), {
            env: {
              HAVRE_DATABASE_URL:
                engine === 'SQLite' ? `sqlite:${join(dir, 'base.sqlite')}` : (baseDb?.url as string),
              BENCH_DATA_DIR: dir,
            },
          })
        : null;
      let baseRequest: typeof request = request;
      let baseTarget: Target = target;
      let baseProbe = { staffToken: '', citizenToken: '' };
      if (base) {
        stops.push(() => base.stop());
        await base.call('territories');
        await base.call('configureReports', LIMITS_OFF);
        const baseUsers = await base.call<[string, string][]>('users', {
          n: P.clients,
          prefix: `base-${engine}`,
        });
        baseTarget = { host: '127.0.0.1', port: base.ready.port as number };
        // The baseline serves the same live-feed probe: both sides of the A/B carry the same load.
        const [[, baseProbeToken]] = await base.call<[string, string][]>('users', {
          n: 1,
          prefix: `base-probe-${engine}`,
        });
        baseProbe = {
          staffToken: await base.call<string>('staff', {
            territory: '76540',
            prefix: `base-staff-${engine}`,
          }),
          citizenToken: baseProbeToken,
        };
        const baseReqs = baseUsers.map(([, token]) =>
          bodies.map((b) =>
            encodeRequest(baseTarget, 'POST', '/api/reports', { authorization: `Bearer ${token}` }, b),
          ),
        );
        let baseConn = 0;
        const basePerConn = new Map<number, number>();
        baseRequest = (i: number) => {
          const c = basePerConn.get(i) ?? baseConn++ % P.clients;
          return baseReqs[c][i % 1000];
        };
        await closedLoop({
          target: baseTarget,
          connections: P.clients,
          durationMs: 1_000,
          request: baseRequest,
        });
      }
      const baseRuns: number[] = [];
      const baseCpu: number[] = [];
      const runBase = async () => {
        if (!base) return;
        const probe = await liveProbe({ port: baseTarget.port, ...baseProbe, ...probeOptions });
        const c0 = await cpuMsOf(base.pid);
        const result = await closedLoop({
          target: baseTarget,
          connections: P.clients,
          durationMs: P.roundMs,
          request: baseRequest,
        });
        await probe.stop();
        const acked = result.statuses['201'] ?? 0;
        baseCpu.push((((await cpuMsOf(base.pid)) - c0) * 1000) / Math.max(1, acked));
        baseRuns.push((acked / result.durationMs) * 1000);
      };

      // The plain INSERT loop on the same engine.
      let plain: (i: number) => Promise<void> | void;
      let closePlain: () => Promise<void>;
      if (engine === 'SQLite') {
        const lite = new Database(join(dir, 'plain.sqlite'));
        lite.pragma('journal_mode = WAL');
        lite.pragma('synchronous = FULL');
        lite.exec(TABLE);
        for (const ix of INDEXES) lite.exec(ix);
        const ins = lite.prepare('INSERT INTO reports VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)');
        plain = (i) => void ins.run(...ROW(i));
        closePlain = async () => {
          lite.close();
        };
        details.sqliteSynchronous = lite.pragma('synchronous', { simple: true });
      } else {
        const client = new pg.Client({ connectionString: plainDb.url });
        await client.connect();
        await client.query(TABLE);
        for (const ix of INDEXES) await client.query(ix);
        details.postgresSynchronousCommit = (
          await client.query('SHOW synchronous_commit')
        ).rows[0].synchronous_commit;
        const text = `INSERT INTO reports VALUES (${ROW(0)
          .map((_, j) => `$${j + 1}`)
          .join(',')})`;
        plain = async (i) => void (await client.query({ name: 'ins', text, values: ROW(i) }));
        closePlain = () => client.end();
      }

      await closedLoop({ target, connections: P.clients, durationMs: 1_000, request }); // warm-up
      const havreRuns: LoadResult[] = [];
      const cpuPerReport: number[] = [];
      const plainRuns: { rps: number; latency: { p50Ms: number; p99Ms: number } }[] = [];
      const ratios: number[] = [];
      let next = 0;
      for (let r = 0; r < P.rounds; r++) {
        const profile = process.env.BENCH_PROFILE_DIR;
        const runHavre = async () => {
          // BENCH_PROFILE_DIR=dir: a CPU profile of the server during the first round (open in Chrome DevTools).
          if (profile && r === 0) await havre.call('profileStart');
          const probe = await liveProbe({
            port: target.port,
            staffToken,
            citizenToken: probeToken,
            ...probeOptions,
          });
          const c0 = await cpuMsOf(havre.pid);
          const result = await closedLoop({ target, connections: P.clients, durationMs: P.roundMs, request });
          liveDelays.push(...(await probe.stop()).values());
          cpuPerReport.push(
            (((await cpuMsOf(havre.pid)) - c0) * 1000) / Math.max(1, result.statuses['201'] ?? 0),
          );
          if (profile && r === 0)
            await havre.call('profileStop', { file: join(profile, `intake-${engine}.cpuprofile`) });
          return result;
        };
        const runPlain = () => insertLoop(plain, P.insertMs, next);
        let h: LoadResult;
        let p: Awaited<ReturnType<typeof insertLoop>>;
        if (r % 2 === 0) {
          h = await runHavre();
          await runBase();
          p = await runPlain();
        } else {
          p = await runPlain();
          await runBase();
          h = await runHavre();
        }
        next = p.next;
        peakRss = Math.max(peakRss, await rssOf(havre.pid));
        const acked = h.statuses['201'] ?? 0;
        const ackedRps = (acked / h.durationMs) * 1000;
        havreRuns.push({ ...h, rps: ackedRps });
        plainRuns.push(p);
        ratios.push(ackedRps / p.rps);
        const other = Object.entries(h.statuses).filter(([k]) => k !== '201');
        if (other.length || h.errors)
          notes.push(
            `${engine} round ${r}: non-201 answers ${JSON.stringify(Object.fromEntries(other))}, errors ${h.errors}`,
          );
      }
      await closePlain();
      const hr = median(havreRuns.map((x) => x.rps));
      if (base) {
        rows.push({
          measure: `${engine}: the same load on the baseline checkout (before), alternating with this one (after)`,
          havre: {
            throughput: hr,
            unit: 'acked/s',
            value: round(median(cpuPerReport), 1),
            valueUnit: 'µs server CPU/report',
          },
          peer: {
            name: `Havre before (${baselineDir})`,
            throughput: median(baseRuns),
            unit: 'acked/s',
            value: round(median(baseCpu), 1),
            valueUnit: 'µs server CPU/report',
          },
          ratio: round(hr / median(baseRuns), 2),
          ratioMeaning: 'acked/s after / before, medians of the same run',
        });
        ctx.log(
          `intake ${engine} baseline: ${Math.round(median(baseRuns))} acked/s, ${Math.round(median(baseCpu))} µs CPU/report`,
        );
        await base.stop();
        stops.pop();
      }
      rows.push({
        measure: `${engine}: POST /api/reports, ${P.clients} clients, acknowledged after durable group commit`,
        havre: {
          throughput: hr,
          unit: 'acked/s',
          p50Ms: median(havreRuns.map((x) => x.latency.p50Ms)),
          p99Ms: median(havreRuns.map((x) => x.latency.p99Ms)),
          // Node's CPU (user + system, /proc) per acknowledged report; a PostgreSQL server's own CPU is not in it.
          value: round(median(cpuPerReport), 1),
          valueUnit: 'µs server CPU/report',
        },
        peer: {
          name: `single-row INSERT loop, ${engine} (${engine === 'SQLite' ? 'synchronous=FULL' : 'synchronous_commit=on'})`,
          throughput: median(plainRuns.map((x) => x.rps)),
          unit: 'commits/s',
          p50Ms: median(plainRuns.map((x) => x.latency.p50Ms)),
          p99Ms: median(plainRuns.map((x) => x.latency.p99Ms)),
        },
        ratio: round(median(ratios), 2),
        ratioMeaning: 'Havre acked/s over HTTP / plain durable commits/s',
        target: '≥ 5,000 acked/s over HTTP',
        pass: hr >= 5000,
      });

      const live = summarize(Float64Array.from(liveDelays));
      rows.push({
        measure: `${engine}: delay from POST /api/reports to the dashboard's SSE event, during the intake load (${liveDelays.length} probe reports, one at a time, in another territory)`,
        havre: { p50Ms: live.p50Ms, p99Ms: live.p99Ms },
        target: 'p99 < 100 ms',
        pass: live.p99Ms < 100,
      });
      ctx.log(
        `intake ${engine}: live p50 ${live.p50Ms} ms, p99 ${live.p99Ms} ms over ${liveDelays.length} probes`,
      );
      ctx.log(
        `intake ${engine}: ${Math.round(hr)} acked/s, ${Math.round(median(cpuPerReport))} µs CPU/report (plain ${Math.round(median(plainRuns.map((x) => x.rps)))}/s)`,
      );
      await havre.stop();
      stops.pop();
    }
    return {
      name: 'intake',
      parameters: {
        ...P,
        body: 'category, role, lat/lon in Paris 17e, occurredAt',
        quota:
          'daily quota and burst threshold raised for the benchmark (configureReports): every report is accepted',
      },
      rows,
      peakMemoryMB: round(peakRss / 2 ** 20, 1),
      notes,
      details,
    };
  } finally {
    for (const stop of stops.reverse()) await stop();
    await havreDb.drop();
    await plainDb.drop();
    await baseDb?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
