/**
 * The storage handle: Kysely over SQLite (embedded default) or PostgreSQL.
 * The rest of Havre only sees `Db` and never branches on the engine, except through
 * `db.dialect` in the rare query that must differ (documented where it happens).
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';
import pg from 'pg';
import type { Schema } from './schema.ts';
import { configureSqlite } from './sqlite-settings.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Schema>;
  dialect: Dialect;
  /** The raw better-sqlite3 handle (SQLite only): integrity checks, backups, group commit. */
  sqlite?: SqliteDatabase.Database;
  /** The raw pg pool (PostgreSQL only). */
  pool?: pg.Pool;
  /** How to open another pool on the same database (PostgreSQL only): worker threads do. */
  postgres?: { url: string; schema?: string };
  close(): Promise<void>;
}

// BIGINT columns hold epoch milliseconds and counts: well inside Number's exact range.
pg.types.setTypeParser(20, (value: string) => Number(value));

export interface DbOptions {
  /** PostgreSQL only: schema to use (tests make one per run). Created if missing. */
  schema?: string;
  /** PostgreSQL pool size. */
  poolSize?: number;
}

export async function openDatabase(url: string, options: DbOptions = {}): Promise<Db> {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length));
  return openPostgres(url, options);
}

/** Prepared statements kept per SQL text (a bounded, least-recently-used set). */
const STATEMENT_CACHE = 500;

/**
 * Kysely prepares every query anew on SQLite; preparing costs more than running the small
 * queries of a request (session lookup, user, roles…): with it, authentication alone took a
 * third of the CPU of `POST /api/reports` (bench/: `npm run bench -- intake`, profile). The
 * same SQL text reuses its statement; one still iterating (streamed query) is not shared.
 */
export function cachingStatements(sqlite: SqliteDatabase.Database) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      const cached = cache.get(sql);
      if (cached && !cached.busy) {
        // Most recent last: the first entry is the one to evict.
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = sqlite.prepare(sql);
      if (!cached) {
        cache.set(sql, statement);
        if (cache.size > STATEMENT_CACHE) cache.delete(cache.keys().next().value as string);
      }
      return statement;
    },
  };
}

/**
 * Transactions on the main connection begin IMMEDIATE: they take the write lock first, waiting
 * (busy_timeout) for a worker thread's commit to end. With SQLite's default deferred BEGIN, a
 * transaction that reads and then writes fails with SQLITE_BUSY_SNAPSHOT (or SQLITE_BUSY) when
 * the trail writer or the report batch thread commits in between — a 500 on an SOS while the
 * sharer's trail is being written (src/db/write-transactions.test.ts).
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }
  override createDriver() {
    return new ImmediateSqliteDriver(this.settings);
  }
}

/**
 * The database holds every account, contact and session: readable by the service's user only.
 * A folder Havre creates for it (the data directory by default) is 0700, a database file it
 * creates 0600 (SQLite gives its -wal and -shm files the database file's mode). What exists
 * already keeps the mode its operator chose.
 */
function createPrivately(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
}

function openSqlite(path: string): Db {
  if (path !== ':memory:') createPrivately(path);
  const sqlite = new SqliteDatabase(path);
  configureSqlite(sqlite);
  const kysely = new Kysely<Schema>({
    dialect: new ImmediateSqliteDialect({ database: cachingStatements(sqlite) }),
  });
  return {
    kysely,
    dialect: 'sqlite',
    sqlite,
    async close() {
      await kysely.destroy();
    },
  };
}

async function openPostgres(url: string, options: DbOptions): Promise<Db> {
  const schema = options.schema;
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  if (schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await admin.end();
    }
  }
  const { pool, kysely } = postgresPool(url, schema, options.poolSize ?? 10);
  return {
    kysely,
    dialect: 'postgres',
    pool,
    postgres: { url, schema },
    async close() {
      await kysely.destroy();
    },
  };
}

/** A pool and its Kysely on `url`, in `schema` if given (which must exist). */
export function postgresPool(url: string, schema: string | undefined, max: number) {
  const pool = new pg.Pool({ connectionString: withSearchPath(url, schema), max });
  // An idle client that loses its server (PostgreSQL restart) must not crash the process.
  pool.on('error', () => {});
  const kysely = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return { pool, kysely };
}

/**
 * The URL with `-c search_path=schema` added to its own `options` (server settings such as
 * `-c statement_timeout=5s`). pg lets a connection string's parameters win over the pool's,
 * so a separate `options` would be dropped, and the schema with it, whenever the URL has one.
 */
export function withSearchPath(url: string, schema: string | undefined): string {
  if (!schema) return url;
  const parsed = new URL(url);
  const own = parsed.searchParams.get('options');
  parsed.searchParams.set('options', [own, `-c search_path=${schema}`].filter(Boolean).join(' '));
  return parsed.toString();
}
