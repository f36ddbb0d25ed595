/**
 * Fast loading of anonymized reports for the heatmap benchmark: the same rows
 * and the same aggregate additions (`Deltas`) as `writeReportsBulk`, written with prepared
 * statements (SQLite) and `unnest` arrays (PostgreSQL) instead of Kysely's multi-row
 * inserts, so a million reports load in a couple of minutes rather than a quarter of an hour.
 * Both engines get the same chunks (`prepareChunk`: same ids too).
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { Deltas } from '../../src/reports/aggregates.ts';
import type { AnonymousReport } from '../../src/reports/anonymize.ts';
import { REPORT_COLUMNS, reportRow } from '../../src/reports/batch.ts';
import type { Services } from '../../src/server/services.ts';

const REPORT_TYPES = [
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'bigint',
  'text',
  'text',
  'int',
  'int',
  'text',
  'text',
  'int',
];
const COUNT_COLS = ['territory_code', 'level', 'bucket', 'category', 'cell', 'n'] as const;
const COUNT_TYPES = ['text', 'int', 'bigint', 'text', 'text', 'int'];
const HOUR_COLS = [
  'territory_code',
  'category',
  'hour_bucket',
  'iso_week',
  'hour_of_day',
  'weekday',
  'n',
] as const;
const HOUR_TYPES = ['text', 'text', 'bigint', 'text', 'int', 'int', 'int'];

/** A chunk ready for both engines: the same rows (same ids) and aggregate additions. */
export interface PreparedChunk {
  rows: Record<string, unknown>[];
  counts: Record<string, unknown>[];
  hours: Record<string, unknown>[];
}

/**
 * The rows and aggregate additions of a chunk, as `writeReportsBulk` would write them. Made
 * once per chunk for both engines, which then hold exactly the same reports.
 */
export function prepareChunk(reports: AnonymousReport[]): PreparedChunk {
  const deltas = new Deltas();
  const rows = reports.map((r) => {
    deltas.add(r);
    return reportRow(r, randomUUID(), 'accepted', true);
  });
  const counts = [...deltas.counts.values()] as unknown as Record<string, unknown>[];
  const hours = [...deltas.hours.values()] as unknown as Record<string, unknown>[];
  return { rows, counts, hours };
}

/** SQLite: one transaction of prepared statements (synchronous: it holds the event loop). */
export function loadReportsSqlite(services: Services, { rows, counts, hours }: PreparedChunk): void {
  const lite = services.db.sqlite;
  if (!lite) throw new Error('not a SQLite database');
  const ins = lite.prepare(
    `INSERT INTO reports (${REPORT_COLUMNS.join(',')}) VALUES (${REPORT_COLUMNS.map(() => '?').join(',')})`,
  );
  const cnt = lite.prepare(
    `INSERT INTO report_counts (${COUNT_COLS.join(',')}) VALUES (?,?,?,?,?,?) ON CONFLICT (territory_code, level, category, bucket, cell) DO UPDATE SET n = report_counts.n + excluded.n`,
  );
  const hr = lite.prepare(
    `INSERT INTO report_hour_counts (${HOUR_COLS.join(',')}) VALUES (?,?,?,?,?,?,?) ON CONFLICT (territory_code, category, hour_bucket) DO UPDATE SET n = report_hour_counts.n + excluded.n`,
  );
  lite.transaction(() => {
    for (const r of rows) ins.run(...REPORT_COLUMNS.map((c) => r[c]));
    for (const r of counts) cnt.run(...COUNT_COLS.map((c) => r[c]));
    for (const r of hours) hr.run(...HOUR_COLS.map((c) => r[c]));
  })();
}

/**
 * PostgreSQL: the whole chunk as ONE statement (data-modifying CTEs over `unnest` arrays, so
 * one round trip and one implicit transaction). The query is written to the connected
 * client's socket before this returns, so PostgreSQL works on it while the caller loads the
 * same chunk into SQLite on the event loop: the two loads overlap.
 */
export function loadReportsPostgres(
  client: pg.Client,
  { rows, counts, hours }: PreparedChunk,
): Promise<unknown> {
  let n = 0;
  const unnest = (cols: readonly string[], types: string[]) =>
    `SELECT * FROM unnest(${cols.map((_, i) => `$${++n}::${types[i]}[]`).join(',')})`;
  const columns = (list: Record<string, unknown>[], cols: readonly string[]) =>
    cols.map((c) => list.map((r) => r[c]));
  const text = `WITH r AS (INSERT INTO reports (${REPORT_COLUMNS.join(',')}) ${unnest(REPORT_COLUMNS, REPORT_TYPES)}),
  c AS (INSERT INTO report_counts (${COUNT_COLS.join(',')}) ${unnest(COUNT_COLS, COUNT_TYPES)} ON CONFLICT (territory_code, level, category, bucket, cell) DO UPDATE SET n = report_counts.n + excluded.n)
  INSERT INTO report_hour_counts (${HOUR_COLS.join(',')}) ${unnest(HOUR_COLS, HOUR_TYPES)} ON CONFLICT (territory_code, category, hour_bucket) DO UPDATE SET n = report_hour_counts.n + excluded.n`;
  return client.query(text, [
    ...columns(rows, REPORT_COLUMNS),
    ...columns(counts, COUNT_COLS),
    ...columns(hours, HOUR_COLS),
  ]);
}

/** The secondary indexes of `reports` (see src/reports/migration.ts). */
const REPORT_INDEXES: [string, string][] = [
  ['reports_cell_hour', 'reports (cell9, hour_bucket)'],
  ['reports_status', 'reports (status, territory_code, hour_bucket)'],
  ['reports_hour', 'reports (hour_bucket)'],
  ['reports_territory_day', 'reports (territory_code, day)'],
];

/** Bulk-load practice: the secondary indexes of `reports` are dropped while loading. */
export function dropReportIndexes(sqlite: Services, client: pg.Client): Promise<unknown> {
  const text = REPORT_INDEXES.map(([name]) => `DROP INDEX ${name};`).join(' ');
  sqlite.db.sqlite?.exec(text);
  return client.query(text);
}

/**
 * …and built again afterwards (same definitions), on the benchmark's own temporary
 * databases. PostgreSQL's are sent first on the loader's connection (written to its socket at
 * once), so it builds them in its own process while SQLite builds its own here.
 */
export async function createReportIndexes(sqlite: Services, client: pg.Client): Promise<void> {
  const text = REPORT_INDEXES.map(([name, on]) => `CREATE INDEX ${name} ON ${on};`).join(' ');
  const postgres = client.query(text);
  sqlite.db.sqlite?.exec(text);
  await postgres;
}
