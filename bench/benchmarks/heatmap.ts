/**
 * Heatmap: one territory (Paris 17e) with 1,000,000 synthetic reports over 12 months, loaded
 * through the same anonymization and aggregates as real reports (`generateDemoReports` →
 * `writeReportsBulk`, in chunks). Havre's adaptive-k heatmap over 52 UTC weeks
 * (`territoryHeatmap`: reads the week pre-aggregates, folds each week under k, sums) against
 * a raw GROUP BY (cell, week) over the report rows + the same per-week folding, on SQLite
 * and on PostgreSQL, alternating. On PostgreSQL the raw GROUP BY runs with a serial
 * plan and with the default (parallel) plan, and the plans are recorded.
 * Havre keeps the folds of weeks that did not change (released-weeks.ts), so it is measured
 * three ways, alternating: one report written into the current week before each read (a
 * dashboard during intake: 51 weeks kept, 1 read and folded — the target), no write between
 * reads (52 kept), and the first read (nothing kept: 52 weeks read and folded, as before).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { WEEK_LEVEL } from '../../src/reports/aggregates.ts';
import { anonymizeReport } from '../../src/reports/anonymize.ts';
import { generateDemoReports } from '../../src/reports/demo.ts';
import { territoryHeatmap } from '../../src/reports/heatmap.ts';
import { releaseBlocks } from '../../src/reports/release.ts';
import { forgetReleasedWeeks } from '../../src/reports/released-weeks.ts';
import { kOf } from '../../src/reports/settings.ts';
import { resolveWindow } from '../../src/reports/window.ts';
import { writeReportsBulk } from '../../src/reports/writer.ts';
import { loadConfig } from '../../src/server/config.ts';
import { createLogger } from '../../src/server/logger.ts';
import { createServices, type Services } from '../../src/server/services.ts';
import { loadBundledTerritories } from '../../src/territories/bundled.ts';
import { importTerritories } from '../../src/territories/import.ts';
import { getTerritory } from '../../src/territories/registry.ts';
import { createTempDb, explain } from '../lib/pg.ts';
import { atExit } from '../lib/proc.ts';
import type { BenchContext, BenchReport, Row } from '../lib/report.ts';
import {
  createReportIndexes,
  dropReportIndexes,
  loadReportsPostgres,
  loadReportsSqlite,
  prepareChunk,
} from '../lib/reports-load.ts';
import { round, Samples, summarize } from '../lib/stats.ts';

const CODE = '75117';
// The UTC week of a report: weeks start on Mondays, 4 days after the epoch (a Thursday).
const RAW_SQL = (p: (i: number) => string) =>
  `SELECT cell9, (hour_bucket - 345600000) / 604800000 AS week, count(*) AS n FROM reports WHERE territory_code = ${p(1)} AND status = 'accepted' AND hour_bucket >= ${p(2)} AND hour_bucket < ${p(3)} GROUP BY cell9, week`;

/** Rows (cell, week, n) → the release blocks of each week. */
function weekBlocks(rows: { cell9: string; week: number | string; n: number | string }[]) {
  const weeks = new Map<number, Map<string, number>>();
  for (const r of rows) {
    const week = Number(r.week);
    let cells = weeks.get(week);
    if (!cells) {
      cells = new Map();
      weeks.set(week, cells);
    }
    cells.set(r.cell9, Number(r.n));
  }
  return weeks.values();
}

async function services(databaseUrl: string, dir: string): Promise<Services> {
  const config = loadConfig({
    HAVRE_DATA_DIR: dir,
    HAVRE_DATABASE_URL: databaseUrl,
    HAVRE_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    HAVRE_LOG_LEVEL: 'warn',
  });
  const s = await createServices(config, { log: createLogger('warn') });
  await importTerritories(s, loadBundledTerritories());
  return s;
}

export async function heatmap(ctx: BenchContext): Promise<BenchReport> {
  const P = ctx.quick
    ? { reports: 20_000, iterations: 20, chunk: 20_000 }
    : { reports: 1_000_000, iterations: 100, chunk: 50_000 };
  const rows: Row[] = [];
  const notes: string[] = [];
  const details: Record<string, unknown> = {};
  const dir = mkdtempSync(join(tmpdir(), 'havre-bench-heatmap-'));
  atExit(() => rmSync(dir, { recursive: true, force: true }));
  const pgDb = await createTempDb('heatmap');
  const opened: Services[] = [];
  let peakRss = process.memoryUsage().rss;
  try {
    const lite = await services(`sqlite:${join(dir, 'heatmap.sqlite')}`, dir);
    opened.push(lite);
    const post = await services(pgDb.url, dir);
    opened.push(post);
    const territory = await getTerritory(lite.db.kysely, CODE);
    if (!territory) throw new Error(`territory ${CODE} missing`);
    const now = Date.now();
    const window = resolveWindow({}, now, { defaultWeeks: 52, maxWeeks: 60 });

    // ---- load (bulk path: anonymization + aggregates), chunk by chunk on both engines ----
    // A large page cache while loading only (random UUID keys and five indexes thrash the
    // default 2 MB); the measurements run with the default again.
    const defaultCache = lite.db.sqlite?.pragma('cache_size', { simple: true });
    lite.db.sqlite?.pragma('cache_size = -524288');
    const load = {
      generateMs: 0,
      prepareMs: 0,
      postgresSendMs: 0,
      sqliteMs: 0,
      postgresWaitMs: 0,
      indexMs: 0,
    };
    const loadStart = performance.now();
    const loader = new pg.Client({ connectionString: pgDb.url });
    await loader.connect();
    // Pipelined: PostgreSQL loads chunk i (in its own process) while this process loads the
    // same chunk into SQLite and generates chunk i + 1.
    const loadAll = async () => {
      let pending: Promise<unknown> = Promise.resolve();
      for (let done = 0, seed = 1; done < P.reports; done += P.chunk, seed++) {
        let t = performance.now();
        const chunk = generateDemoReports(
          CODE,
          territory.boundary,
          territory.bbox,
          now,
          Math.min(P.chunk, P.reports - done),
          seed,
        );
        load.generateMs += performance.now() - t;
        t = performance.now();
        const prepared = prepareChunk(chunk);
        load.prepareMs += performance.now() - t;
        t = performance.now();
        await pending;
        load.postgresWaitMs += performance.now() - t;
        t = performance.now();
        pending = loadReportsPostgres(loader, prepared);
        load.postgresSendMs += performance.now() - t;
        t = performance.now();
        loadReportsSqlite(lite, prepared);
        load.sqliteMs += performance.now() - t;
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        if ((done / P.chunk) % 4 === 0) ctx.log(`heatmap: ${done + chunk.length} reports loaded`);
      }
      const t = performance.now();
      await pending;
      load.postgresWaitMs += performance.now() - t;
    };
    await dropReportIndexes(lite, loader);
    try {
      await loadAll();
    } finally {
      const t = performance.now();
      await createReportIndexes(lite, loader); // both engines at once
      load.indexMs = performance.now() - t;
    }
    await loader.end();
    details.load = {
      path: `generateDemoReports (anonymizeReport, the intake's anonymization) → the rows of writeReportsBulk (reportRow) and its aggregate additions (Deltas), written with prepared statements (SQLite) and one unnest statement per chunk (PostgreSQL, pipelined with the SQLite load) instead of Kysely multi-row inserts, the same prepared chunk (same ids) for both engines, the 4 secondary indexes of reports dropped during the load and rebuilt after, on both engines at once (writeReportsBulk itself loads ~2,500 reports/s here: 1M would take ~15 min), chunks of ${P.chunk}`,
      totalSeconds: Math.round((performance.now() - loadStart) / 1000),
      generatePerSecond: Math.round(P.reports / (load.generateMs / 1000)),
      prepareSeconds: Math.round(load.prepareMs / 1000),
      postgresSendSeconds: Math.round(load.postgresSendMs / 1000),
      sqliteRowsPerSecond: Math.round(P.reports / (load.sqliteMs / 1000)),
      postgresExtraWaitSeconds: Math.round(load.postgresWaitMs / 1000),
      indexesSeconds: Math.round(load.indexMs / 1000),
    };
    const aggRows = async (s: Services) =>
      Number(
        (
          await s.db.kysely
            .selectFrom('report_counts')
            .select(sql<number>`count(*)`.as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    details.reportCountsRows = { sqlite: await aggRows(lite), postgres: await aggRows(post) };
    lite.db.sqlite?.pragma(`cache_size = ${defaultCache}`);
    await post.db.pool?.query('VACUUM ANALYZE');
    lite.db.sqlite?.exec('ANALYZE');

    const k = kOf(lite);
    const rawLite = lite.db.sqlite?.prepare(RAW_SQL(() => '?'));
    const pgClient = new pg.Client({ connectionString: pgDb.url });
    await pgClient.connect();
    const rawSqlPg = RAW_SQL((i) => `$${i}`);
    const rawArgs = [CODE, window.from, window.to];

    type RawRow = { cell9: string; week: number; n: number };
    const rawSqlite = async () =>
      releaseBlocks(weekBlocks((rawLite?.all(...rawArgs) ?? []) as RawRow[]), { k });
    const rawPg = (parallel: boolean) => async () => {
      await pgClient.query(`SET max_parallel_workers_per_gather = ${parallel ? 2 : 0}`);
      const res = await pgClient.query({ name: 'raw', text: rawSqlPg, values: rawArgs });
      return releaseBlocks(weekBlocks(res.rows), { k });
    };

    // Same heatmap both ways?
    const a = await territoryHeatmap(lite, CODE, window);
    const b = await rawSqlite();
    const c = await territoryHeatmap(post, CODE, window);
    const same = (x: typeof b, y: typeof b) =>
      JSON.stringify(x.cells) === JSON.stringify(y.cells) && x.total === y.total;
    details.sameAnswer = {
      sqlite: same(a, b),
      postgres: same(c, a),
      cellsShown: a.cells.length,
      total: a.total,
      hidden: a.hidden,
    };

    await pgClient.query('SET max_parallel_workers_per_gather = 0');
    const serialPlan = await explain(pgClient, rawSqlPg, rawArgs);
    await pgClient.query('SET max_parallel_workers_per_gather = 2');
    const parallelPlan = await explain(pgClient, rawSqlPg, rawArgs);
    const sqlitePlan = (lite.db.sqlite?.prepare(`EXPLAIN QUERY PLAN ${RAW_SQL(() => '?')}`).all(...rawArgs) ??
      []) as { detail: string }[];
    details.sqliteRawPlan = sqlitePlan.map((r) => r.detail);
    details.postgresRawPlans = { serial: serialPlan.plan, parallel: parallelPlan.plan };
    // The plan of one of Havre's aggregate range reads (default settings).
    const havrePlan = await explain(
      pgClient,
      `SELECT bucket, category, cell, n FROM report_counts WHERE territory_code = $1 AND level = ${WEEK_LEVEL} AND category IN ('*') AND bucket >= $2 AND bucket < $3 AND cell <> ''`,
      rawArgs,
    );
    details.postgresHavrePlan = havrePlan.plan;
    notes.push(
      `PostgreSQL raw GROUP BY: serial plan ${serialPlan.plan[0]?.trim()}; default plan ${parallelPlan.parallel ? 'parallel' : 'serial'} (${parallelPlan.plan[0]?.trim()}); Havre's aggregate reads: ${havrePlan.parallel ? 'parallel' : 'serial'} (${havrePlan.plan.find((l) => /Scan/.test(l))?.trim()})`,
    );

    // ---- alternate Havre (three ways) and raw, per engine ----
    // Points in Paris 17e for the reports written into the current week between reads.
    const SPOTS = [
      [48.8838, 2.3203],
      [48.8835, 2.3262],
      [48.879, 2.296],
      [48.8905, 2.3205],
    ];
    let written = 0;
    const writeOne = (s: Services) => {
      const [lat, lon] = SPOTS[written++ % SPOTS.length];
      const at = Date.now() - 60_000;
      const report = anonymizeReport(
        { category: 'following', role: 'witness', lat, lon, occurredAt: new Date(at).toISOString() },
        CODE,
        at,
      );
      return writeReportsBulk(s, [report], { synthetic: true });
    };
    const time = async (fn: () => Promise<unknown>, s: Samples) => {
      const t = performance.now();
      await fn();
      s.push(performance.now() - t);
    };
    const VARIANTS = [
      { key: 'written', what: 'one report written into the current week before each read (51 weeks kept)' },
      { key: 'kept', what: 'no write between reads (52 weeks kept)' },
      { key: 'first', what: 'first read, nothing kept (52 weeks read and folded, as before they were kept)' },
    ] as const;
    const measure = async (
      label: string,
      s: Services,
      peers: { name: string; fn: () => Promise<unknown> }[],
      peerIterations: number,
    ) => {
      const heatmap = () => territoryHeatmap(s, CODE, window);
      const hs = VARIANTS.map(() => new Samples());
      const ps = peers.map(() => new Samples());
      for (let i = 0; i < 3; i++) await heatmap(); // warm-up
      for (const p of peers) await p.fn();
      for (let i = 0; i < P.iterations; i++) {
        await writeOne(s); // not timed
        await time(heatmap, hs[0]);
        await time(heatmap, hs[1]);
        forgetReleasedWeeks(s); // not timed
        await time(heatmap, hs[2]);
        if (i < peerIterations) for (let j = 0; j < peers.length; j++) await time(peers[j].fn, ps[j]);
      }
      const peerFigures = peers.map((p, j) => ({ name: p.name, ...summarize(ps[j].values()) }));
      VARIANTS.forEach((v, vi) => {
        const h = summarize(hs[vi].values());
        // Every variant against the first peer; the main one against every peer.
        peerFigures.slice(0, vi === 0 ? peers.length : 1).forEach((p, j) => {
          rows.push({
            measure: `${label}: 52-week adaptive-k heatmap (k per week), ${P.reports.toLocaleString('en')} reports, ${v.what}`,
            havre: { p50Ms: h.p50Ms, p99Ms: h.p99Ms },
            peer: { name: p.name, p50Ms: p.p50Ms, p99Ms: p.p99Ms },
            ratio: round(p.p50Ms / h.p50Ms, 1),
            ratioMeaning: 'p50 time peer / Havre (higher: Havre faster)',
            target: vi === 0 && j === 0 ? 'Havre p50 < 10 ms' : undefined,
            pass: vi === 0 && j === 0 ? h.p50Ms < 10 : null,
          });
        });
        ctx.log(`heatmap ${label} (${v.key}): Havre p50 ${h.p50Ms} ms, p99 ${h.p99Ms} ms`);
      });
    };
    const peerIterations = ctx.quick ? 5 : 7; // the raw GROUP BY takes seconds at 1M: fewer samples
    await measure('SQLite', lite, [{ name: 'raw GROUP BY reports (SQLite)', fn: rawSqlite }], peerIterations);
    await measure(
      'PostgreSQL',
      post,
      [
        { name: 'raw GROUP BY reports (PostgreSQL, serial plan)', fn: rawPg(false) },
        { name: 'raw GROUP BY reports (PostgreSQL, parallel plan allowed)', fn: rawPg(true) },
      ],
      peerIterations,
    );
    details.writtenBetweenReads = `${written} reports (writeReportsBulk, one per transaction), not timed`;
    // The kept weeks, after all those writes, still give the raw answer.
    const keptLite = await territoryHeatmap(lite, CODE, window);
    const keptPost = await territoryHeatmap(post, CODE, window);
    details.sameAnswerAfterWrites = {
      sqlite: same(keptLite, await rawSqlite()),
      postgres: same(keptPost, await rawPg(false)()),
      total: keptLite.total,
    };
    await pgClient.end();
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    return {
      name: 'heatmap',
      parameters: {
        territory: CODE,
        reports: P.reports,
        months: 12,
        weeks: 52,
        k,
        iterations: P.iterations,
        peerIterations,
        inProcess: 'territoryHeatmap() with its own database handle; no HTTP',
      },
      rows,
      peakMemoryMB: round(peakRss / 2 ** 20, 1),
      notes,
      details,
    };
  } finally {
    for (const s of opened) await s.close();
    await pgDb.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
