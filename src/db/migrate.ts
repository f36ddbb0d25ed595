/**
 * One ordered set of migrations for both engines. Each capability owns its migration
 * files; this list fixes their order. Names never change once released.
 */
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import accountChanges from '../accounts/changes-migration.ts';
import accounts from '../accounts/migration.ts';
import pendingSignups from '../accounts/signup-migration.ts';
import jobs from '../jobs/migration.ts';
import notifyChannels from '../notify/channels-migration.ts';
import notify from '../notify/migration.ts';
import places from '../places/migration.ts';
import reportBursts from '../reports/bursts-migration.ts';
import reportIdempotency from '../reports/idempotency-migration.ts';
import reports from '../reports/migration.ts';
import reportWeekCounts from '../reports/week-counts-migration.ts';
import reportWeekStamps from '../reports/week-stamps-migration.ts';
import sharing from '../sharing/migration.ts';
import sosPasskeys from '../sharing/passkeys-migration.ts';
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
    // biome-ignore lint/suspicious/noExplicitAny: the migrator works on an untyped schema
    db: db.kysely as Kysely<any>,
    provider,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
