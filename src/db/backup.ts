/**
 * Consistent online backups for `havre db backup`: SQLite's online backup API (the server
 * keeps running), or pg_dump's custom format for PostgreSQL (a consistent snapshot too).
 *
 * A backup holds everything the database does (accounts, contacts, sessions' hashes): it is
 * made readable by its owner only (0600), as `havre db restore` leaves the database it puts back.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, closeSync, openSync } from 'node:fs';
import type { Db } from './database.ts';

/** How pg_dump is started (tests record the arguments and environment). */
export type Spawn = (command: string, args: string[], options: { env: NodeJS.ProcessEnv }) => ChildProcess;

const spawnPgDump: Spawn = (command, args, { env }) =>
  spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });

export async function backupDatabase(
  db: Db,
  databaseUrl: string,
  out: string,
  start: Spawn = spawnPgDump,
): Promise<void> {
  // Owner-only before a byte is written; an existing file (`--force`) is narrowed too, since
  // the mode given at creation does not apply to it. SQLite and pg_dump both write into it.
  closeSync(openSync(out, 'w', 0o600));
  chmodSync(out, 0o600);
  if (db.sqlite) {
    await db.sqlite.backup(out);
    return;
  }
  const { args, env } = pgDumpCommand(databaseUrl, out, process.env);
  await new Promise<void>((resolve, reject) => {
    const child = start('pg_dump', args, { env });
    let stderr = '';
    child.stderr?.on('data', (d) => {
      stderr += d;
    });
    child.on('error', (error) => reject(new Error(`pg_dump could not start: ${error.message}`)));
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`pg_dump failed (${code}): ${stderr.trim()}`)),
    );
  });
}

/**
 * pg_dump's arguments and environment for `databaseUrl`. The password moves from the URL (its
 * user info, or a `password=` parameter) to PGPASSWORD in the child's environment: a command
 * line is visible to every local user (`ps`), a process's environment to its owner and root
 * only. Everything else of the URL is passed as written (libpq reads `+` literally, so the
 * query is not re-encoded).
 */
export function pgDumpCommand(
  databaseUrl: string,
  out: string,
  env: NodeJS.ProcessEnv,
): { args: string[]; env: NodeJS.ProcessEnv } {
  const { url, password } = withoutPassword(databaseUrl);
  return {
    args: ['--format=custom', `--file=${out}`, url],
    env: password === null ? { ...env } : { ...env, PGPASSWORD: password },
  };
}

const decode = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/** The URL without its password, and the password (percent-decoded), or null when it has none. */
export function withoutPassword(databaseUrl: string): { url: string; password: string | null } {
  const match = /^(postgres(?:ql)?:\/\/)(?:([^@/?#]*)@)?([^?#]*)(\?[^#]*)?(#.*)?$/s.exec(databaseUrl);
  if (!match) return { url: databaseUrl, password: null };
  const [, scheme, userInfo, hostAndPath, query, fragment] = match;
  let password: string | null = null;
  let user = userInfo;
  const colon = userInfo?.indexOf(':') ?? -1;
  if (userInfo !== undefined && colon !== -1) {
    password = decode(userInfo.slice(colon + 1));
    user = userInfo.slice(0, colon);
  }
  const params = (query ?? '').slice(1).split('&').filter(Boolean);
  const kept = params.filter((param) => param.split('=')[0] !== 'password');
  // libpq lets a parameter override the URI's own part: the parameter's password is the one used.
  const fromParams = params.find((param) => param.split('=')[0] === 'password');
  if (fromParams !== undefined) {
    const equals = fromParams.indexOf('=');
    password = equals === -1 ? '' : decode(fromParams.slice(equals + 1));
  }
  const url =
    scheme +
    (user !== undefined ? `${user}@` : '') +
    hostAndPath +
    (kept.length ? `?${kept.join('&')}` : '') +
    (fragment ?? '');
  return { url, password };
}
