/**
 * One ordered set of migrations for both engines. Each capability owns its migration
 * files; this list fixes their order. Names never change once released.
 */
import {
  type DatabaseIntrospector,
  type Kysely,
  type Migration,
  type MigrationProvider,
  Migrator,
  sql,
  type TableMetadata,
} from 'kysely';
import accountChanges from '../accounts/changes-migration.ts';
import accounts from '../accounts/migration.ts';
import pendingSignups from '../accounts/signup-migration.ts';
import jobs from '../jobs/migration.ts';
import notifyChannels from '../notify/channels-migration.ts';
import notify from '../notify/migration.ts';
import places from '../places/migration.ts';
import placeRejections from '../places/rejections-migration.ts';
import reportBursts from '../reports/bursts-migration.ts';
import reportIdempotency from '../reports/idempotency-migration.ts';
import reports from '../reports/migration.ts';
import reportWeekCounts from '../reports/week-counts-migration.ts';
import reportWeekStamps from '../reports/week-stamps-migration.ts';
import sharing from '../sharing/migration.ts';
import sosPasskeys from '../sharing/passkeys-migration.ts';
import trailLog from '../sharing/trail-log-migration.ts';
import territories from '../territories/migration.ts';
import type { Db } from './database.ts';

export const MIGRATIONS: Record<string, Migration> = {
  '0001_accounts': accounts,
  '0002_territories': territories,
  '0003_notify': notify,
  '0004_notify_channels': notifyChannels,
  '0005_sharing': sharing,
  '0006_reports': reports,
  '0007_places': places,
  '0008_jobs': jobs,
  '0009_pending_signups': pendingSignups,
  '0010_report_idempotency': reportIdempotency,
  '0011_account_changes': accountChanges,
  '0012_report_week_counts': reportWeekCounts,
  '0013_report_week_stamps': reportWeekStamps,
  '0014_sos_passkeys': sosPasskeys,
  '0015_report_bursts': reportBursts,
  '0016_trail_log': trailLog,
  '0017_place_rejections': placeRejections,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

export async function migrateToLatest(db: Db): Promise<string[]> {
  // Kysely looks for its bookkeeping tables in every schema unless told which one: on a
  // PostgreSQL server shared with other Havre schemas it would find theirs and skip its own.
  const schema =
    db.dialect === 'postgres'
      ? (await sql<{ name: string }>`SELECT current_schema() AS name`.execute(db.kysely)).rows[0]?.name
      : undefined;
  const migrator = new Migrator({
    db: withOwnIntrospection(db, schema),
    provider,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

// biome-ignore lint/suspicious/noExplicitAny: the migrator works on an untyped schema
type AnyKysely = Kysely<any>;

/**
 * The Kysely instance the migrator gets, asking only about Havre's own schema. Kysely's
 * introspector lists every column of every table of every schema of the database, twice per
 * start (its two bookkeeping tables), calling has_schema_privilege and pg_get_serial_sequence on
 * each: a start slowed by every other schema on the server, and failed ("schema … does not
 * exist") when one of them was dropped meanwhile — what parallel test files do all day, and
 * what an administrator may do on a shared server. The migrator only needs the names.
 */
function withOwnIntrospection(db: Db, schema: string | undefined): AnyKysely {
  const kysely = db.kysely as AnyKysely;
  const tableNames =
    db.dialect === 'postgres'
      ? sql<{
          name: string;
        }>`SELECT tablename AS name FROM pg_catalog.pg_tables WHERE schemaname = ${schema ?? 'public'}`
      : sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`;
  const getTables = async (): Promise<TableMetadata[]> =>
    (await tableNames.execute(kysely)).rows.map((row) => ({
      name: row.name,
      schema,
      isView: false,
      columns: [],
    }));
  const introspection: DatabaseIntrospector = {
    getSchemas: async () =>
      (
        await sql<{
          name: string;
        }>`SELECT nspname AS name FROM pg_catalog.pg_namespace WHERE nspname = ${schema ?? ''}`.execute(
          kysely,
        )
      ).rows,
    getTables,
    getMetadata: async () => ({ tables: await getTables() }),
  };
  // Kysely keeps its state in private fields: its methods run on the instance itself.
  return new Proxy(kysely, {
    get(target, property) {
      if (property === 'introspection') return introspection;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
