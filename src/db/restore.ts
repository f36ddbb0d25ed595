/**
 * Puts a SQLite backup back in place for `havre db restore`, the way DEPLOY.md §4 describes it
 * by hand, without its traps:
 *  - a server still using the database would keep writing to the file it has open: refused;
 *  - the write-ahead log (`-wal`, `-shm`) left by a crash would be replayed onto the restored
 *    file at the next start, bringing back what the restore meant to roll back: deleted;
 *  - the database being replaced is moved aside, not deleted (a restore of the wrong file
 *    can be undone).
 */
import { chmodSync, copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';

export type RestoreOutcome = { replacedBy: string; keptAs: string | null };

export class DatabaseInUseError extends Error {}
export class NotABackupError extends Error {}

/** Whether another connection (a running Havre) has the database open. */
function inUse(file: string): boolean {
  const db = new SqliteDatabase(file, { timeout: 0 });
  try {
    // An exclusive lock is refused while any other connection is open, even idle (WAL mode).
    // When it is granted, closing checkpoints a crash's log into this file: the copy kept
    // aside is the database as it really was.
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
    return false;
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw error;
  } finally {
    db.close();
  }
}

/** Checks `file`; messages name `shownAs`, the backup as the user gave it (not the copy checked). */
function checkBackup(file: string, shownAs: string): void {
  let result: unknown;
  try {
    const db = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
    try {
      result = db.pragma('integrity_check', { simple: true });
    } finally {
      db.close();
    }
  } catch (error) {
    throw new NotABackupError(`${shownAs} is not a SQLite database (${(error as Error).message})`);
  }
  if (result !== 'ok') throw new NotABackupError(`${shownAs} fails SQLite's integrity check: ${result}`);
}

const removeLog = (file: string) => {
  rmSync(`${file}-wal`, { force: true });
  rmSync(`${file}-shm`, { force: true });
};

export function restoreSqlite(backup: string, target: string, now = new Date()): RestoreOutcome {
  if (existsSync(target) && inUse(target)) {
    throw new DatabaseInUseError(`${target} is open in another process (a running Havre)`);
  }
  // Copied next to the target first, then checked, then renamed over it: the database file
  // is never half written, and what is checked is what will be used.
  const incoming = `${target}.restoring`;
  copyFileSync(backup, incoming);
  chmodSync(incoming, 0o600); // personal data: readable by the service's user only
  try {
    checkBackup(incoming, backup);
  } catch (error) {
    rmSync(incoming, { force: true });
    removeLog(incoming);
    throw error;
  }
  removeLog(incoming);
  let keptAs: string | null = null;
  if (existsSync(target)) {
    keptAs = `${target}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
    renameSync(target, keptAs);
  }
  removeLog(target);
  renameSync(incoming, target);
  return { replacedBy: backup, keptAs };
}
