/**
 * Nearest refuge: 5 nearest places open now among 100,000 synthetic places over France.
 *  1. In process: Havre's PlacesIndex.nearest (open-now filter, distances) vs raw geokdbush
 *     (5 nearest, no filter) on the same points and queries, alternating batches.
 *  2. In process, SQL: the same query on PostGIS (KNN on GiST, same open-now rule), one connection.
 *  3. Over HTTP, alternating rounds with the same generator: Havre (`/api/places/nearest`, SQLite
 *     behind it, the index in memory) vs a minimal Fastify route with a constant answer vs a
 *     Fastify endpoint backed by PostGIS. Then p99 at 1,000 req/s (open loop).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { around } from 'geokdbush';
import pg from 'pg';
import { PlacesIndex } from '../../src/places/index/places-index.ts';
import { closedLoop, encodeRequest, type LoadResult, openLoop, type Target } from '../lib/http-load.ts';
import { createTempDb, explain } from '../lib/pg.ts';
import { INSTANTS, synthPlaces, synthQueries, toIndexed, weekOpenRanges } from '../lib/places-data.ts';
import { atExit, cpuMsOf, rssOf, startChild } from '../lib/proc.ts';
import type { BenchContext, BenchReport, Row } from '../lib/report.ts';
import { median, percentile, round, Samples, summarize } from '../lib/stats.ts';
import { minuteOfWeek, NEAREST_SQL, POSTGIS_INDEX, POSTGIS_SCHEMA } from '../servers/postgis-sql.ts';

const N = 100_000;

export async function nearest(ctx: BenchContext): Promise<BenchReport> {
  const P = ctx.quick
    ? {
        queries: 3_000,
        rounds: 2,
        sqlQueries: 1_000,
        httpRounds: 2,
        httpRoundMs: 1_500,
        openMs: 3_000,
        connections: 16,
      }
    : {
        queries: 20_000,
        rounds: 7,
        sqlQueries: 10_000,
        httpRounds: 6,
        httpRoundMs: 5_000,
        openMs: 20_000,
        connections: 16,
      };
  const rows: Row[] = [];
  const notes: string[] = [];
  const details: Record<string, unknown> = {};
  const synth = synthPlaces(N);
  const queries = synthQueries(P.queries);

  // ---- 1. in process ----
  const places = synth.map(toIndexed);
  const t0 = performance.now();
  const index = new PlacesIndex(places);
  details.indexBuildMs = round(performance.now() - t0, 1);
  const BATCH = 1000;
  let sink = 0;
  for (const [label, at] of Object.entries(INSTANTS)) {
    const ratios: number[] = [];
    let rawMs = 0;
    let fullMs = 0;
    for (let round_ = 0; round_ <= P.rounds; round_++) {
      for (let b = 0; b < queries.length; b += BATCH) {
        const batch = queries.slice(b, b + BATCH);
        const raw = () => {
          const s = performance.now();
          for (const [lat, lon] of batch) sink += around(index.kd, lon, lat, 5).length;
          return performance.now() - s;
        };
        const full = () => {
          const s = performance.now();
          for (const [lat, lon] of batch)
            sink += index.nearest(lat, lon, { at, limit: 5, openOnly: true }).length;
          return performance.now() - s;
        };
        const rawFirst = (b / BATCH + round_) % 2 === 0;
        const r1 = rawFirst ? raw() : 0;
        const f = full();
        const r = rawFirst ? r1 : raw();
        if (round_ === 0) continue; // warm-up
        ratios.push(f / r);
        rawMs += r;
        fullMs += f;
      }
    }
    // Per-query latency, one timed call each (adds ~50 ns of timer per call to both).
    const lat = (fn: (lat: number, lon: number) => void) => {
      const s = new Samples();
      for (const [la, lo] of queries) {
        const t = performance.now();
        fn(la, lo);
        s.push(performance.now() - t);
      }
      return summarize(s.values());
    };
    const rawLat = lat((la, lo) => {
      sink += around(index.kd, lo, la, 5).length;
    });
    const fullLat = lat((la, lo) => {
      sink += index.nearest(la, lo, { at, limit: 5, openOnly: true }).length;
    });
    const total = P.rounds * queries.length;
    const ratio = median(ratios);
    const open = places.filter((_, i) => index.openAt(i, at) === true).length;
    rows.push({
      measure: `in process, ${label} (${Math.round((open / N) * 100)} % open): 5 nearest open now`,
      havre: { throughput: (total / fullMs) * 1000, unit: 'q/s', p50Ms: fullLat.p50Ms, p99Ms: fullLat.p99Ms },
      peer: {
        name: 'raw geokdbush (no filter)',
        throughput: (total / rawMs) * 1000,
        unit: 'q/s',
        p50Ms: rawLat.p50Ms,
        p99Ms: rawLat.p99Ms,
      },
      ratio: round(ratio, 3),
      ratioMeaning: `time Havre / time geokdbush, median of paired batches (p10 ${percentile(ratios, 0.1).toFixed(2)}, p90 ${percentile(ratios, 0.9).toFixed(2)})`,
      target: '≤ 1.5× the time',
      pass: ratio <= 1.5,
    });
    ctx.log(`nearest in process ${label}: ratio ${ratio.toFixed(2)}`);
  }
  details.sink = sink;

  // ---- PostGIS data ----
  const pgDb = await createTempDb('nearest', { postgis: true });
  const dir = mkdtempSync(join(tmpdir(), 'havre-bench-nearest-'));
  atExit(() => rmSync(dir, { recursive: true, force: true }));
  const children: { stop(): Promise<void> }[] = [];
  try {
    const client = new pg.Client({ connectionString: pgDb.url });
    await client.connect();
    await client.query(POSTGIS_SCHEMA);
    for (let i = 0; i < synth.length; i += 1000) {
      const chunk = synth.slice(i, i + 1000);
      const values: unknown[] = [];
      const tuples = chunk.map((p, j) => {
        const ranges = weekOpenRanges(p);
        values.push(
          p.id,
          p.name,
          p.kind,
          p.lon,
          p.lat,
          ranges ? `{${ranges.map(([a, b]) => `[${a},${b})`).join(',')}}` : null,
          p.closedUntil,
        );
        const o = j * 7;
        return `($${o + 1},$${o + 2},$${o + 3},ST_SetSRID(ST_MakePoint($${o + 4},$${o + 5}),4326)::geography,$${o + 6}::int4multirange,$${o + 7}::bigint)`;
      });
      await client.query(`INSERT INTO places_knn VALUES ${tuples.join(',')}`, values);
    }
    await client.query(POSTGIS_INDEX);
    await client.query('VACUUM ANALYZE places_knn');
    const at = INSTANTS['Saturday 22:00'];
    const args = (la: number, lo: number) => [lo, la, minuteOfWeek(at), at, 5];
    const plan = await explain(client, NEAREST_SQL, args(48.85, 2.35));
    details.postgisPlan = plan.plan;
    notes.push(
      `PostGIS KNN plan: ${plan.parallel ? 'parallel' : 'serial'} (${plan.plan.find((l) => /Index Scan/.test(l))?.trim() ?? plan.plan[0]?.trim()})`,
    );

    // Same answers? (ids of the 5 nearest open places)
    let agree = 0;
    const checks = queries.slice(0, 200);
    for (const [la, lo] of checks) {
      const ours = index
        .nearest(la, lo, { at, limit: 5, openOnly: true })
        .map((h) => h.place.id)
        .join();
      const theirs = (await client.query({ name: 'nn', text: NEAREST_SQL, values: args(la, lo) })).rows
        .map((r) => r.id)
        .join();
      if (ours === theirs) agree++;
    }
    notes.push(
      `Havre and PostGIS return the same 5 places for ${agree}/${checks.length} queries (Saturday 22:00)`,
    );
    details.answersAgree = `${agree}/${checks.length}`;

    // ---- 2. SQL in process, alternating with Havre's index ----
    const sqlLat = new Samples();
    const idxLat = new Samples();
    let sqlMs = 0;
    let idxMs = 0;
    const sqlQ = queries.slice(0, P.sqlQueries);
    for (let b = 0; b < sqlQ.length; b += 200) {
      const batch = sqlQ.slice(b, b + 200);
      let s = performance.now();
      for (const [la, lo] of batch) {
        const t = performance.now();
        await client.query({ name: 'nn', text: NEAREST_SQL, values: args(la, lo) });
        sqlLat.push(performance.now() - t);
      }
      sqlMs += performance.now() - s;
      s = performance.now();
      for (const [la, lo] of batch) {
        const t = performance.now();
        sink += index.nearest(la, lo, { at, limit: 5, openOnly: true }).length;
        idxLat.push(performance.now() - t);
      }
      idxMs += performance.now() - s;
    }
    await client.end();
    const sqlQps = (sqlQ.length / sqlMs) * 1000;
    const idxQps = (sqlQ.length / idxMs) * 1000;
    const sqlSum = summarize(sqlLat.values());
    const idxSum = summarize(idxLat.values());
    rows.push({
      measure: 'in process vs SQL on one connection (Saturday 22:00)',
      havre: { throughput: idxQps, unit: 'q/s', p50Ms: idxSum.p50Ms, p99Ms: idxSum.p99Ms },
      peer: {
        name: 'PostGIS KNN query (pg, 1 connection)',
        throughput: sqlQps,
        unit: 'q/s',
        p50Ms: sqlSum.p50Ms,
        p99Ms: sqlSum.p99Ms,
      },
      ratio: round(idxQps / sqlQps, 2),
      ratioMeaning: 'throughput Havre / PostGIS',
      pass: null,
    });
    ctx.log(`nearest SQL: PostGIS ${Math.round(sqlQps)} q/s`);

    // ---- 3. over HTTP ----
    const havre = await startChild('servers/havre.ts', {
      env: { HAVRE_DATABASE_URL: `sqlite:${join(dir, 'havre.sqlite')}`, BENCH_DATA_DIR: dir },
    });
    children.push(havre);
    const loaded = await havre.call<{ places: number; indexBuildMs: number }>('loadPlaces', {
      n: N,
      seed: 42,
    });
    details.havreIndexFromDbMs = round(loaded.indexBuildMs, 0);
    const constant = await startChild('servers/fastify-constant.ts');
    children.push(constant);
    const postgis = await startChild('servers/postgis-http.ts', { env: { BENCH_PG_URL: pgDb.url } });
    children.push(postgis);
    const host = '127.0.0.1';
    const tHavre: Target = { host, port: havre.ready.port as number };
    const tConst: Target = { host, port: constant.ready.port as number };
    const tPg: Target = { host, port: postgis.ready.port as number };
    const iso = new Date(at).toISOString();
    const reqs = (t: Target, path: (la: number, lo: number) => string) =>
      queries.slice(0, 2000).map(([la, lo]) => encodeRequest(t, 'GET', path(la, lo)));
    const havreReqs = reqs(
      tHavre,
      (la, lo) =>
        `/api/places/nearest?lat=${la.toFixed(5)}&lon=${lo.toFixed(5)}&limit=5&openOnly=true&at=${iso}`,
    );
    const constReqs = reqs(
      tConst,
      (la, lo) =>
        `/api/places/nearest?lat=${la.toFixed(5)}&lon=${lo.toFixed(5)}&limit=5&openOnly=true&at=${iso}`,
    );
    const pgReqs = reqs(
      tPg,
      (la, lo) => `/nearest?lat=${la.toFixed(5)}&lon=${lo.toFixed(5)}&at=${at}&limit=5`,
    );
    // Server CPU per request (from /proc): steadier than req/s on a shared machine. The
    // PostGIS endpoint's figure leaves out the PostgreSQL backends' CPU.
    const pidOf = new Map<number, number>([
      [tHavre.port, havre.pid],
      [tConst.port, constant.pid],
      [tPg.port, postgis.pid],
    ]);
    const cpuPerReq = new Map<LoadResult, number>();
    const run = async (target: Target, list: Buffer[], ms: number) => {
      const pid = pidOf.get(target.port) as number;
      const c0 = await cpuMsOf(pid);
      const r = await closedLoop({
        target,
        connections: P.connections,
        durationMs: ms,
        request: (i) => list[i % list.length],
      });
      cpuPerReq.set(r, (((await cpuMsOf(pid)) - c0) * 1000) / Math.max(1, r.requests));
      return r;
    };
    // Warm-up (JIT, index, pool).
    await run(tHavre, havreReqs, 1_000);
    await run(tConst, constReqs, 1_000);
    await run(tPg, pgReqs, 1_000);
    type Who = 'havre' | 'constant' | 'postgis' | 'health';
    // Havre's own /api/health: the same plugin stack (cookies, helmet, rate limit, metrics,
    // auth hook, schemas) with no work, to tell the stack's cost from the nearest query's.
    const healthReqs = [encodeRequest(tHavre, 'GET', '/api/health')];
    const res: Record<Who, LoadResult[]> = { havre: [], constant: [], postgis: [], health: [] };
    const vsConst: number[] = [];
    const healthVsConst: number[] = [];
    const vsPg: number[] = [];
    let peakRss = 0;
    for (let r = 0; r < P.httpRounds; r++) {
      const order: Who[] =
        r % 2 === 0 ? ['havre', 'constant', 'postgis', 'health'] : ['health', 'postgis', 'constant', 'havre'];
      const got: Partial<Record<string, LoadResult>> = {};
      for (const who of order) {
        got[who] =
          who === 'havre'
            ? await run(tHavre, havreReqs, P.httpRoundMs)
            : who === 'constant'
              ? await run(tConst, constReqs, P.httpRoundMs)
              : who === 'health'
                ? await run(tHavre, healthReqs, P.httpRoundMs)
                : await run(tPg, pgReqs, P.httpRoundMs);
        res[who].push(got[who] as LoadResult);
        if (who === 'havre') peakRss = Math.max(peakRss, await rssOf(havre.pid));
      }
      vsConst.push((got.havre as LoadResult).rps / (got.constant as LoadResult).rps);
      vsPg.push((got.havre as LoadResult).rps / (got.postgis as LoadResult).rps);
      healthVsConst.push((got.health as LoadResult).rps / (got.constant as LoadResult).rps);
    }
    const agg = (list: LoadResult[]) => ({
      throughput: median(list.map((x) => x.rps)),
      unit: 'req/s',
      p50Ms: median(list.map((x) => x.latency.p50Ms)),
      p99Ms: median(list.map((x) => x.latency.p99Ms)),
      value: round(median(list.map((x) => cpuPerReq.get(x) ?? Number.NaN)), 1),
      valueUnit: 'µs server CPU/req',
    });
    const bad = (list: LoadResult[]) =>
      list.reduce(
        (s, x) =>
          s +
          x.errors +
          Object.entries(x.statuses)
            .filter(([k]) => k !== '200')
            .reduce((a, [, v]) => a + v, 0),
        0,
      );
    details.httpNon200 = { havre: bad(res.havre), constant: bad(res.constant), postgis: bad(res.postgis) };
    const rc = median(vsConst);
    const rp = median(vsPg);
    rows.push({
      measure: `HTTP GET /api/places/nearest, ${P.connections} keep-alive connections, closed loop`,
      havre: agg(res.havre),
      peer: { name: 'Fastify constant answer', ...agg(res.constant) },
      ratio: round(rc, 3),
      ratioMeaning: 'req/s Havre / peer, median of paired rounds',
      target: '≥ 0.7×',
      pass: rc >= 0.7,
    });
    const hc = median(healthVsConst);
    rows.push({
      measure: 'HTTP GET /api/health on the same Havre instance (the plugin stack alone, no work)',
      havre: agg(res.health),
      peer: { name: 'Fastify constant answer', ...agg(res.constant) },
      ratio: round(hc, 3),
      ratioMeaning: 'req/s Havre health / peer: the ceiling the stack leaves for nearest',
      pass: null,
    });
    rows.push({
      measure: 'HTTP nearest vs an endpoint backed by PostGIS (same generator)',
      havre: agg(res.havre),
      peer: { name: 'Fastify + PostGIS KNN (pool 4)', ...agg(res.postgis) },
      ratio: round(rp, 2),
      ratioMeaning: 'req/s Havre / PostGIS endpoint',
      target: '≥ 5×',
      pass: rp >= 5,
    });
    ctx.log(`nearest HTTP: vs constant ${rc.toFixed(2)}, vs PostGIS ${rp.toFixed(2)}`);

    // p99 at 1,000 req/s (open loop), Havre then PostGIS endpoint.
    const open = (target: Target, list: Buffer[]) =>
      openLoop({
        target,
        rate: 1000,
        durationMs: P.openMs,
        connections: 64,
        request: (i) => list[i % list.length],
      });
    const oh = await open(tHavre, havreReqs);
    const op = await open(tPg, pgReqs);
    rows.push({
      measure: `HTTP nearest at 1,000 req/s for ${P.openMs / 1000} s (open loop)`,
      havre: { throughput: oh.rps, unit: 'req/s', p50Ms: oh.latency.p50Ms, p99Ms: oh.latency.p99Ms },
      peer: {
        name: 'PostGIS endpoint at 1,000 req/s',
        throughput: op.rps,
        unit: 'req/s',
        p50Ms: op.latency.p50Ms,
        p99Ms: op.latency.p99Ms,
      },
      target: 'Havre p99 < 5 ms',
      pass: oh.latency.p99Ms < 5 && oh.errors === 0,
    });
    peakRss = Math.max(peakRss, await rssOf(havre.pid));
    return {
      name: 'nearest',
      parameters: { places: N, limit: 5, openOnly: true, ...P, havreDatabase: 'SQLite (index in memory)' },
      rows,
      peakMemoryMB: round(peakRss / 2 ** 20, 1),
      notes,
      details,
    };
  } finally {
    for (const c of children.reverse()) await c.stop();
    await pgDb.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
