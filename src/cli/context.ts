/** Opens Havre's storage for a maintenance command, runs it, and closes everything. */
import { existsSync } from 'node:fs';
import { type Config, loadConfig, withPersistedSecret } from '../server/config.ts';
import type { Services } from '../server/services.ts';
import { CliError } from './main.ts';

/**
 * What a command needs of the database schema:
 *  - `current` (default): at this version's migrations; a schema behind is refused, not migrated
 *    (some migrations need every old instance stopped first: docs/DEPLOY.md §5);
 *  - `as-is`: whatever it is, unchanged (`db backup`: a backup before an upgrade is its point;
 *    `migrate`, which applies the migrations itself and says which).
 */
export type SchemaNeed = 'current' | 'as-is';

export async function withServices<T>(
  run: (services: Services) => Promise<T>,
  options: { createDatabase?: boolean; schema?: SchemaNeed } = {},
): Promise<T> {
  const loaded = loadConfig(process.env, { demo: !process.env.HAVRE_SECRET });
  // Checked before anything is written (the demo secret below, the database file itself).
  if (!options.createDatabase) requireExistingDatabase(loaded);
  // Maintenance commands do not sign anything, but they must not break a demo install
  // whose secret lives in the data directory: reuse or create it there.
  const config = withPersistedSecret(loaded);
  // Loaded here, not at the top: `havre --help` and a mistyped command answer at once instead
  // of loading every module of the server first (seconds through tsx).
  const { createServices } = await import('../server/services.ts');
  const services = await createServices({ ...config, logLevel: 'warn' }, { migrate: false });
  try {
    if ((options.schema ?? 'current') === 'current') await requireCurrentSchema(services);
    return await run(services);
  } finally {
    await services.close();
  }
}

export const print = (line: string) => process.stdout.write(`${line}\n`);

/**
 * Opening a SQLite path creates the file: a command run from the wrong directory, or without
 * the installation's environment, would otherwise "succeed" in a new empty database (an
 * administrator created where no server reads it). Only `havre migrate` and `havre serve`
 * create a database; every other command needs one that exists.
 */
function requireExistingDatabase(config: Config): void {
  if (!config.databaseUrl.startsWith('sqlite:') || config.databaseUrl === 'sqlite::memory:') return;
  const file = config.databaseUrl.slice('sqlite:'.length);
  if (existsSync(file)) return;
  throw new CliError(
    `no database at ${file} (nothing was changed). Set HAVRE_DATA_DIR or HAVRE_DATABASE_URL ` +
      "as in the installation's environment file (e.g. /etc/havre/havre.env); for a new " +
      'installation, create the database first with `havre migrate` (or `havre serve`).',
    78, // EX_CONFIG
  );
}

async function requireCurrentSchema(services: Services): Promise<void> {
  const { pendingMigrations } = await import('./schema-version.ts');
  const pending = await pendingMigrations(services.db);
  if (pending.length === 0) return;
  throw new CliError(
    'the database schema is behind this version of Havre: run `havre migrate` ' +
      `(nothing was changed; pending: ${pending.join(', ')}). Some migrations need every ` +
      'instance of the previous release stopped first: see docs/DEPLOY.md §5 (Upgrades).',
    78, // EX_CONFIG: the installation is not ready for this version yet
  );
}
