/**
 * Consistent online backups for `havre db backup`: SQLite's online backup API (the server
 * keeps running), or pg_dump's custom format for PostgreSQL (a consistent snapshot too).
 */
import { spawn } from 'node:child_process';
import type { Db } from './database.ts';

export async function backupDatabase(db: Db, databaseUrl: string, out: string): Promise<void> {
  if (db.sqlite) {
    await db.sqlite.backup(out);
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const child = spawn('pg_dump', ['--format=custom', `--file=${out}`, databaseUrl], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', (error) => reject(new Error(`pg_dump could not start: ${error.message}`)));
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`pg_dump failed (${code}): ${stderr.trim()}`)),
    );
  });
}
