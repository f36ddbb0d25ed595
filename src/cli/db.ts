import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../server/config.ts';
import { print, withServices } from './context.ts';
import { requireInputFile } from './input-file.ts';
import { CliError } from './main.ts';

export function registerDbCommands(program: Command) {
  const db = program.command('db').description('Database maintenance');

  db.command('copy')
    .description('Copy this embedded (SQLite) installation to PostgreSQL, then verify counts and checksums')
    .requiredOption('--to <url>', 'target PostgreSQL URL (postgres://user@host:5432/db)')
    .option(
      '--replace',
      'the target is an earlier copy of this installation: delete its rows (refused while instances serve it)',
    )
    .action(async (options: { to: string; replace?: boolean }) => {
      if (!/^postgres(ql)?:\/\//.test(options.to)) throw new CliError('--to must be a postgres:// URL', 64);
      const { copySqliteToPostgres, TargetInUseError, TargetNotEmptyError } = await import('../db/copy.ts');
      const { describeTargetRefusal } = await import('./copy-refusal.ts');
      await withServices(async (services) => {
        if (services.db.dialect !== 'sqlite')
          throw new CliError('the source must be the embedded SQLite database', 64);
        let reports: Awaited<ReturnType<typeof copySqliteToPostgres>>;
        try {
          reports = await copySqliteToPostgres(services.db, options.to, {
            replace: options.replace,
            onTable: (r) =>
              print(
                `${r.verified ? 'ok  ' : 'DIFF'} ${r.table.padEnd(28)} ${String(r.rows).padStart(9)} rows  ${r.checksum.slice(0, 16)}`,
              ),
          });
        } catch (error) {
          if (error instanceof TargetNotEmptyError || error instanceof TargetInUseError) {
            // EX_CANTCREAT, as `db backup` onto an existing file: the output is someone's data.
            throw new CliError(describeTargetRefusal(error), 73);
          }
          throw error;
        }
        const bad = reports.filter((r) => !r.verified);
        if (bad.length)
          throw new CliError(`verification failed for: ${bad.map((r) => r.table).join(', ')}`, 70);
        print(
          `copied and verified ${reports.length} tables, ${reports.reduce((s, r) => s + r.rows, 0)} rows`,
        );
      });
    });

  db.command('backup')
    .description('Make a consistent online backup (SQLite file copy, or pg_dump custom format)')
    .requiredOption('--out <file>', 'file to write, or a directory to write a dated file in')
    .option('--force', 'overwrite an existing file')
    .action(async (options: { out: string; force?: boolean }) => {
      const { backupDatabase } = await import('../db/backup.ts');
      await withServices(
        async (services) => {
          // A directory (a nightly job's "--out /var/backups/havre/") gets a file named by the time.
          const pg = /^postgres(ql)?:/.test(services.config.databaseUrl);
          const stamp = new Date(services.clock.now()).toISOString().slice(0, 16).replace(/[-:T]/g, '');
          const out = isDirectory(options.out)
            ? join(options.out, `havre-${stamp}.${pg ? 'dump' : 'sqlite'}`)
            : options.out;
          if (existsSync(out) && !options.force) throw new CliError(`${out} exists (use --force)`, 73);
          await backupDatabase(services.db, services.config.databaseUrl, out);
          print(`backup written to ${out}`);
        },
        // Never migrates: the backup taken before an upgrade holds the schema the old release runs.
        { schema: 'as-is' },
      );
    });

  db.command('restore')
    .description(
      'Put a SQLite backup back in place (Havre stopped): removes the old write-ahead log, keeps the replaced file aside',
    )
    .requiredOption('--from <file>', 'backup made by havre db backup')
    .action(async (options: { from: string }) => {
      // No services: opening them would hold the very database this replaces.
      const config = loadConfig(process.env, { demo: !process.env.HAVRE_SECRET });
      if (!config.databaseUrl.startsWith('sqlite:') || config.databaseUrl === 'sqlite::memory:') {
        throw new CliError(
          `restore works on the embedded SQLite database; for PostgreSQL use pg_restore --clean --if-exists -d DATABASE ${options.from}`,
          64,
        );
      }
      requireInputFile(options.from);
      const target = config.databaseUrl.slice('sqlite:'.length);
      if (!existsSync(dirname(target))) {
        throw new CliError(
          `no directory ${dirname(target)}: set HAVRE_DATA_DIR (or HAVRE_DATABASE_URL) as in the installation's environment file`,
          78,
        );
      }
      const { DatabaseInUseError, NotABackupError, restoreSqlite } = await import('../db/restore.ts');
      try {
        const { keptAs } = restoreSqlite(options.from, target);
        print(`restored ${options.from} as ${target}`);
        if (keptAs) print(`the database it replaced is kept as ${keptAs}`);
      } catch (error) {
        if (error instanceof DatabaseInUseError) {
          throw new CliError(
            `${error.message}: stop every Havre instance first (systemctl stop 'havre@*'), then run this again`,
            75, // EX_TEMPFAIL: works once the server is stopped
          );
        }
        if (error instanceof NotABackupError) throw new CliError(`${error.message}; nothing was changed`, 65);
        throw error;
      }
    });
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
