/**
 * SQLite → PostgreSQL copy for `havre db copy`. Works on a consistent snapshot of a running
 * embedded installation (SQLite online backup), empties the target's tables and copies every
 * table in foreign-key order, all in one transaction (the target ends equal to the source, rows
 * deleted since the last copy included), then verifies row counts and checksums table by table.
 *
 * Emptying is what makes a re-run right, and what would wipe a database instances already serve
 * (its accounts replaced by the source's, demo accounts with a public password included). So a
 * target that holds any Havre row is refused unless the caller says it is an earlier copy
 * (`replace`), and a target that instances serve (an unexpired job lease) is refused always.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import type pg from 'pg';
import { type Db, openDatabase } from './database.ts';
import { migrateToLatest } from './migrate.ts';

export interface TableReport {
  table: string;
  rows: number;
  checksum: string;
  verified: boolean;
}

interface TableInfo {
  name: string;
  columns: string[];
  primaryKey: string[];
  dependsOn: string[];
}

const INTERNAL = /^(sqlite_|kysely_)/;
/**
 * Job leases are the running instances' claims on the database they serve (src/jobs/lease.ts),
 * not data: the embedded server's would block the PostgreSQL instances' jobs after the switch,
 * and the target's own tell whether instances serve it. Neither copied nor emptied.
 */
const LEASES = 'leases';

export function describeTables(sqlite: SqliteDatabase.Database): TableInfo[] {
  const names = (
    sqlite.prepare("select name from sqlite_master where type = 'table' order by name").all() as {
      name: string;
    }[]
  )
    .map((r) => r.name)
    .filter((n) => !INTERNAL.test(n) && n !== LEASES);
  const infos = names.map((name) => {
    const columns = sqlite.prepare(`pragma table_info("${name}")`).all() as { name: string; pk: number }[];
    const fks = sqlite.prepare(`pragma foreign_key_list("${name}")`).all() as { table: string }[];
    return {
      name,
      columns: columns.map((c) => c.name),
      primaryKey: columns
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
      dependsOn: [...new Set(fks.map((f) => f.table))].filter((t) => t !== name),
    };
  });
  // Topological order: parents before children.
  const ordered: TableInfo[] = [];
  const done = new Set<string>();
  const visit = (info: TableInfo, stack: Set<string>) => {
    if (done.has(info.name) || stack.has(info.name)) return;
    stack.add(info.name);
    for (const parent of info.dependsOn) {
      const p = infos.find((i) => i.name === parent);
      if (p) visit(p, stack);
    }
    done.add(info.name);
    ordered.push(info);
  };
  for (const info of infos) visit(info, new Set());
  return ordered;
}

/** A checksum of a table's content that both engines agree on: rows ordered by primary key. */
export function checksumRows(rows: Record<string, unknown>[], columns: string[]): string {
  const hash = createHash('sha256');
  for (const row of rows) {
    hash.update(JSON.stringify(columns.map((c) => normalise(row[c]))));
    hash.update('\n');
  }
  return hash.digest('hex');
}

function normalise(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (value instanceof Date) return value.getTime();
  return value;
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

function orderBy(info: TableInfo): string {
  const keys = info.primaryKey.length ? info.primaryKey : info.columns;
  return keys.map(quote).join(', ');
}

async function copyTable(
  snapshot: SqliteDatabase.Database,
  client: pg.PoolClient,
  info: TableInfo,
  batch = 500,
) {
  const select = snapshot.prepare(`select * from ${quote(info.name)} order by ${orderBy(info)}`);
  const cols = info.columns.map(quote).join(', ');
  const conflict = info.primaryKey.length
    ? `on conflict (${info.primaryKey.map(quote).join(', ')}) do ${
        info.columns.filter((c) => !info.primaryKey.includes(c)).length
          ? `update set ${info.columns
              .filter((c) => !info.primaryKey.includes(c))
              .map((c) => `${quote(c)} = excluded.${quote(c)}`)
              .join(', ')}`
          : 'nothing'
      }`
    : 'on conflict do nothing';
  let rows: Record<string, unknown>[] = [];
  const flush = async () => {
    if (rows.length === 0) return;
    const values: unknown[] = [];
    const tuples = rows.map((row) => {
      const placeholders = info.columns.map((c) => {
        values.push(normalise(row[c]));
        return `$${values.length}`;
      });
      return `(${placeholders.join(', ')})`;
    });
    await client.query(
      `insert into ${quote(info.name)} (${cols}) values ${tuples.join(', ')} ${conflict}`,
      values,
    );
    rows = [];
  };
  for (const row of select.iterate() as IterableIterator<Record<string, unknown>>) {
    rows.push(row);
    if (rows.length >= batch) await flush();
  }
  await flush();
}

export interface CopyOptions {
  /** Called after each table. */
  onTable?: (report: TableReport) => void;
  /**
   * The target is an earlier copy of this installation (a re-run before the switch): its rows
   * may be deleted. Never given for a database that instances serve; refused while they do.
   */
  replace?: boolean;
  /** The time leases are compared with (tests). */
  now?: number;
}

/** What a target holds that a copy would delete or overrule. */
export interface TargetContent {
  /** Non-empty tables among those the copy replaces, with their row counts. */
  tables: { table: string; rows: number }[];
  /** Unexpired job leases: instances serving this database right now. */
  leases: { name: string; holder: string; expiresAt: number }[];
}

/** The target holds Havre rows (or instances serve it): nothing was changed. */
export class TargetNotEmptyError extends Error {
  constructor(readonly content: TargetContent) {
    super('the target database is not empty');
  }
}

/** Instances serve the target (unexpired leases), even though `replace` was given: nothing was changed. */
export class TargetInUseError extends Error {
  constructor(readonly content: TargetContent) {
    super('Havre instances are serving the target database');
  }
}

type Query = (text: string, values?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

/** Rows of the copied tables and live leases in the target's schema, as they are now. */
async function inspectTarget(query: Query, copied: string[], now: number): Promise<TargetContent> {
  const existing = new Set(
    (await query('select tablename from pg_catalog.pg_tables where schemaname = current_schema()')).rows.map(
      (r) => r.tablename as string,
    ),
  );
  const tables: TargetContent['tables'] = [];
  for (const table of copied.filter((t) => existing.has(t))) {
    const { rows } = await query(`select count(*)::bigint as n from ${quote(table)}`);
    const n = Number(rows[0]?.n ?? 0);
    if (n > 0) tables.push({ table, rows: n });
  }
  const leases = existing.has(LEASES)
    ? (
        await query(
          `select name, holder, expires_at from ${quote(LEASES)} where expires_at > $1 order by name`,
          [now],
        )
      ).rows.map((r) => ({
        name: r.name as string,
        holder: r.holder as string,
        expiresAt: Number(r.expires_at),
      }))
    : [];
  return { tables, leases };
}

function refuseUnlessFree(content: TargetContent, replace: boolean): void {
  if (content.leases.length && replace) throw new TargetInUseError(content);
  if (content.leases.length || (content.tables.length && !replace)) throw new TargetNotEmptyError(content);
}

export async function copySqliteToPostgres(source: Db, targetUrl: string, options: CopyOptions = {}) {
  if (!source.sqlite) throw new Error('db copy reads an embedded (SQLite) installation');
  const now = options.now ?? Date.now();
  const replace = options.replace ?? false;
  const dir = mkdtempSync(join(tmpdir(), 'havre-copy-'));
  const snapshotFile = join(dir, 'snapshot.sqlite');
  await source.sqlite.backup(snapshotFile); // consistent while the server keeps writing
  const snapshot = new SqliteDatabase(snapshotFile, { readonly: true });
  let target: Db | null = null;
  try {
    target = await openDatabase(targetUrl, { poolSize: 2 });
    const tables = describeTables(snapshot);
    const names = tables.map((t) => t.name);
    const pool = target.pool!;
    // Before migrating: a database instances serve is not touched at all, its schema included.
    refuseUnlessFree(await inspectTarget((text, values) => pool.query(text, values), names, now), replace);
    await migrateToLatest(target);
    const client = await target.pool!.connect();
    const reports: TableReport[] = [];
    try {
      await client.query('begin');
      // Checked again under the locks the copy takes anyway: no instance started or wrote in
      // between unnoticed (an instance takes a lease within seconds of starting).
      await client.query(`lock table ${[...names, LEASES].map(quote).join(', ')} in exclusive mode`);
      refuseUnlessFree(
        await inspectTarget((text, values) => client.query(text, values), names, now),
        replace,
      );
      // A re-run must also drop what was deleted since the last copy (a revoked staff access, an
      // erased account): upserts alone would keep it. One TRUNCATE of every copied table at once
      // satisfies the foreign keys between them, is fast on large tables, and is rolled back with
      // the rest if the copy fails. Migration bookkeeping (kysely_*) is not among them.
      if (tables.length) await client.query(`truncate table ${names.map(quote).join(', ')}`);
      for (const info of tables) await copyTable(snapshot, client, info);
      await client.query('commit');
      for (const info of tables) {
        const sourceRows = snapshot
          .prepare(`select * from ${quote(info.name)} order by ${orderBy(info)}`)
          .all() as Record<string, unknown>[];
        const targetRows = (await client.query(`select * from ${quote(info.name)} order by ${orderBy(info)}`))
          .rows;
        const checksum = checksumRows(sourceRows, info.columns);
        const report = {
          table: info.name,
          rows: sourceRows.length,
          checksum,
          verified:
            targetRows.length === sourceRows.length && checksumRows(targetRows, info.columns) === checksum,
        };
        reports.push(report);
        options.onTable?.(report);
      }
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
    return reports;
  } finally {
    snapshot.close();
    await target?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
