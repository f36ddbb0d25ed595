/**
 * A SQLite installation as a crash leaves it, for the restore tests: row 1 backed up, rows 2
 * and 3 committed after, then a kill -9 that leaves them in `havre.sqlite-wal` (no checkpoint).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { expect } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

export function crashedInstallation(dir: string): { file: string; backup: string } {
  const file = join(dir, 'havre.sqlite');
  const backup = join(dir, 'backup.sqlite');
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(file)});
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0'); // what the crash leaves: commits still in the log
    db.exec('create table t (id integer primary key)');
    db.exec('insert into t values (1)');
    db.backup(${JSON.stringify(backup)}).then(() => {
      db.exec('insert into t values (2), (3)');
      process.kill(process.pid, 'SIGKILL');
    });`;
  spawnSync(process.execPath, ['-e', script], { cwd: root });
  expect(existsSync(`${file}-wal`)).toBe(true);
  return { file, backup };
}

/** The ids in table `t` of a database file, opened as a server would (its log replayed). */
export function idsIn(file: string): number[] {
  const db = new Database(file);
  const ids = db
    .prepare('select id from t order by id')
    .all()
    .map((r) => (r as { id: number }).id);
  db.close();
  return ids;
}
