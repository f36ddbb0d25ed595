import type { Command } from 'commander';
import { loadConfig, withPersistedSecret } from '../server/config.ts';
import { print, withServices } from './context.ts';

export function registerServeCommands(program: Command) {
  program
    .command('serve')
    .description('Run the Havre server (migrations run first)')
    .option('--demo', 'demo mode: generate missing secrets and seed demo data on an empty database')
    .action(async (options: { demo?: boolean }) => {
      const demo = !!options.demo;
      let config = loadConfig(process.env, { demo });
      if (demo) config = withPersistedSecret(config);
      // The server's modules are loaded by the command that runs it (see context.ts).
      const { startServer, stopOnSignals } = await import('../server/main.ts');
      const { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } = await import('../demo/seed.ts');
      const running = await startServer(config, { beforeListen: demo ? seedDemo : undefined });
      stopOnSignals(running);
      print(`\nHavre est prêt : ${config.publicUrl}  (écoute sur ${running.url})`);
      if (demo) {
        print(`\nComptes de démonstration (mot de passe : ${DEMO_PASSWORD}) :`);
        for (const account of DEMO_ACCOUNTS) print(`  ${account.email.padEnd(32)} ${account.what}`);
        print('');
      }
    });

  program
    .command('migrate')
    .description('Apply pending database migrations and exit')
    .action(async () => {
      const { migrateToLatest } = await import('../db/migrate.ts');
      await withServices(
        async (services) => {
          const applied = await migrateToLatest(services.db);
          print(
            applied.length
              ? `applied ${applied.length} migration(s): ${applied.join(', ')}`
              : 'database schema is up to date (nothing to apply)',
          );
        },
        // With `serve`, the only command that makes a new installation's database; the schema
        // is taken as it is, since bringing it to this version is this command's work.
        { createDatabase: true, schema: 'as-is' },
      );
    });
}
