/**
 * Where a database's schema stands against this version of Havre, read without changing it:
 * the maintenance commands refuse a schema that is behind instead of migrating it themselves.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { MIGRATIONS } from '../db/migrate.ts';

/** Kysely's bookkeeping table: one row per migration applied (src/db/migrate.ts). */
const APPLIED_TABLE = 'kysely_migration';

/** The migrations of this version the database has not had yet, oldest first. */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const applied = new Set(await appliedMigrations(db));
  return Object.keys(MIGRATIONS)
    .sort()
    .filter((name) => !applied.has(name));
}

async function appliedMigrations(db: Db): Promise<string[]> {
  // In Havre's own schema only (PostgreSQL: `current_schema()`, where migrate.ts keeps it):
  // another installation's schema on the same server says nothing about this one.
  const exists =
    db.dialect === 'postgres'
      ? sql<{ found: number }>`SELECT 1 AS found FROM pg_catalog.pg_tables
          WHERE schemaname = current_schema() AND tablename = ${APPLIED_TABLE}`
      : sql<{ found: number }>`SELECT 1 AS found FROM sqlite_master
          WHERE type = 'table' AND name = ${APPLIED_TABLE}`;
  if ((await exists.execute(db.kysely)).rows.length === 0) return []; // a new, empty database
  const { rows } = await sql<{ name: string }>`SELECT name FROM ${sql.table(APPLIED_TABLE)}`.execute(
    db.kysely,
  );
  return rows.map((row) => row.name);
}
