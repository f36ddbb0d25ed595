import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { print, withServices } from './context.ts';
import { CliError } from './main.ts';

export function registerDbCommands(program: Command) {
  const db = program.command('db').description('Database maintenance');

  db.command('copy')
    .description('Copy this embedded (SQLite) installation to PostgreSQL, then verify counts and checksums')
    .requiredOption('--to <url>', 'target PostgreSQL URL (postgres://user@host:5432/db)')
    .action(async (options: { to: string }) => {
      if (!/^postgres(ql)?:\/\//.test(options.to)) throw new CliError('--to must be a postgres:// URL', 64);
      const { copySqliteToPostgres } = await import('../db/copy.ts');
      await withServices(async (services) => {
        if (services.db.dialect !== 'sqlite')
          throw new CliError('the source must be the embedded SQLite database', 64);
        const reports = await copySqliteToPostgres(services.db, options.to, {
          onTable: (r) =>
            print(
              `${r.verified ? 'ok  ' : 'DIFF'} ${r.table.padEnd(28)} ${String(r.rows).padStart(9)} rows  ${r.checksum.slice(0, 16)}`,
            ),
        });
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
    .requiredOption('--out <file>', 'file to write')
    .option('--force', 'overwrite an existing file')
    .action(async (options: { out: string; force?: boolean }) => {
      if (existsSync(options.out) && !options.force)
        throw new CliError(`${options.out} exists (use --force)`, 73);
      const { backupDatabase } = await import('../db/backup.ts');
      await withServices(async (services) => {
        await backupDatabase(services.db, services.config.databaseUrl, options.out);
        print(`backup written to ${options.out}`);
      });
    });
}
