/**
 * PostgreSQL for the benchmarks: Debian's cluster (started here if it is not running, and
 * stopped again at the end), a fresh database per benchmark (with PostGIS when asked),
 * dropped afterwards.
 */
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { atExit } from './proc.ts';

const ADMIN_URL = process.env.HAVRE_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
let startedCluster = false;

async function reachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

export async function ensurePostgres(): Promise<void> {
  if (await reachable()) return;
  execFileSync('pg_ctlcluster', ['15', 'main', 'start']);
  startedCluster = true;
  for (let i = 0; i < 50 && !(await reachable()); i++) await new Promise((r) => setTimeout(r, 200));
}

/** Stops the cluster only if this run started it. */
export function releasePostgres(): void {
  if (startedCluster) execFileSync('pg_ctlcluster', ['15', 'main', 'stop']);
  startedCluster = false;
}

export interface TempDb {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createTempDb(prefix: string, options: { postgis?: boolean } = {}): Promise<TempDb> {
  await ensurePostgres();
  const name = `havre_bench_${prefix}_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  if (options.postgis) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query('CREATE EXTENSION postgis');
    await c.end();
  }
  // Interrupted runs drop it too (psql, synchronously, from the exit handler).
  const admin2 = new URL(ADMIN_URL);
  const forget = atExit(() =>
    execFileSync(
      'psql',
      [
        '-h',
        admin2.hostname,
        '-p',
        admin2.port || '5432',
        '-U',
        admin2.username || 'postgres',
        '-d',
        admin2.pathname.slice(1) || 'postgres',
        '-c',
        `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`,
      ],
      { stdio: 'ignore' },
    ),
  );
  return {
    name,
    url,
    async drop() {
      forget();
      const a = new pg.Client({ connectionString: ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/** The plan PostgreSQL chose, one line per node, and whether it used parallel workers. */
export async function explain(client: pg.ClientBase, text: string, values: unknown[]) {
  const res = await client.query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${text}`, values);
  const lines = res.rows.map((r) => r['QUERY PLAN'] as string);
  const launched = lines.map((l) => /Workers Launched: (\d+)/.exec(l)).find(Boolean);
  return {
    parallel: lines.some((l) => /Gather|Parallel/.test(l)) && (launched ? Number(launched[1]) > 0 : true),
    plan: lines.filter((l) => !/^(Planning|Execution) Time/.test(l.trim())),
  };
}
