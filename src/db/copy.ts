/**
 * SQLite → PostgreSQL copy for `havre db copy`. Works on a consistent snapshot of a running
 * embedded installation (SQLite online backup), empties the target's tables and copies every
 * table in foreign-key order, all in one transaction (safe to re-run: the target ends equal to
 * the source, rows deleted since the last copy included), then verifies row counts and
 * checksums table by table.
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

export function describeTables(sqlite: SqliteDatabase.Database): TableInfo[] {
  const names = (
    sqlite.prepare("select name from sqlite_master where type = 'table' order by name").all() as {
      name: string;
    }[]
  )
    .map((r) => r.name)
    .filter((n) => !INTERNAL.test(n));
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
}

export async function copySqliteToPostgres(source: Db, targetUrl: string, options: CopyOptions = {}) {
  if (!source.sqlite) throw new Error('db copy reads an embedded (SQLite) installation');
  const dir = mkdtempSync(join(tmpdir(), 'havre-copy-'));
  const snapshotFile = join(dir, 'snapshot.sqlite');
  await source.sqlite.backup(snapshotFile); // consistent while the server keeps writing
  const snapshot = new SqliteDatabase(snapshotFile, { readonly: true });
  let target: Db | null = null;
  try {
    target = await openDatabase(targetUrl, { poolSize: 2 });
    await migrateToLatest(target);
    const tables = describeTables(snapshot);
    const client = await target.pool!.connect();
    const reports: TableReport[] = [];
    try {
      await client.query('begin');
      // A re-run must also drop what was deleted since the last copy (a revoked staff access, an
      // erased account): upserts alone would keep it. One TRUNCATE of every copied table at once
      // satisfies the foreign keys between them, is fast on large tables, and is rolled back with
      // the rest if the copy fails. Migration bookkeeping (kysely_*) is not among them.
      if (tables.length) await client.query(`truncate table ${tables.map((t) => quote(t.name)).join(', ')}`);
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
