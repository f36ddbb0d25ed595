/**
 * The `havre` command. Every command reads the same configuration as the server
 * (environment variables, see README), prints clear errors and exits non-zero on failure.
 *
 * The command files declare commands and options only; an action imports what it runs when it
 * runs (`await import(…)`): `havre --help` or a typo answers in a fraction of a second instead of
 * loading the whole server through tsx first (seconds), and `havre migrate` loads no HTTP code.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../server/config.ts';
import { registerAccountCommands } from './accounts.ts';
import { registerDbCommands } from './db.ts';
import { registerPlacesCommands } from './places.ts';
import { registerServeCommands } from './serve.ts';
import { registerTerritoryCommands } from './territories.ts';

/** sysexits.h: the command was used incorrectly. */
const EX_USAGE = 64;

/** The version of this installation, as released (package.json), for bug reports and upgrades. */
function packageVersion(): string {
  const file = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

export function buildCli(): Command {
  const program = new Command('havre')
    .description(
      'Havre: anonymous reports, encrypted live sharing and safe places — server and administration',
    )
    .version(packageVersion(), '-V, --version', 'print the version of Havre')
    .showHelpAfterError('(havre --help for the list of commands)')
    // Inherited by every command declared below. Commander exits 1 on a usage error (a missing
    // option or argument, an unknown one, a value not among the choices, no command at all);
    // Havre's own usage errors exit 64, and scripts tell both from a failure by that code.
    .exitOverride((error) => {
      throw error.exitCode === 0 ? error : new CommanderError(EX_USAGE, error.code, error.message);
    });
  registerServeCommands(program);
  registerAccountCommands(program);
  registerTerritoryCommands(program);
  registerDbCommands(program);
  registerPlacesCommands(program);
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildCli().parseAsync(argv, { from: 'user' });
    return process.exitCode ? Number(process.exitCode) : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof ConfigError) {
      process.stderr.write(`havre: configuration error: ${error.message}\n`);
      return 78; // EX_CONFIG
    }
    if (error instanceof CliError) {
      process.stderr.write(`havre: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`havre: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
