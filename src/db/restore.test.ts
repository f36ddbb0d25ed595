import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crashedInstallation, idsIn } from '../../test/helpers/crashed-sqlite.ts';
import { DatabaseInUseError, NotABackupError, restoreSqlite } from './restore.ts';

describe('restoring a SQLite backup (havre db restore)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'havre-restore-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gets the backup, not the log a crash left, and keeps the replaced database aside, complete', () => {
    const { file, backup } = crashedInstallation(dir);
    const { keptAs } = restoreSqlite(backup, file);
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(idsIn(file)).toEqual([1]);
    expect(idsIn(keptAs!)).toEqual([1, 2, 3]);
  });

  it('refuses while another connection (a running server) has the database open', () => {
    const { file, backup } = crashedInstallation(dir);
    const server = new Database(file);
    try {
      // A server has read its database (migrations at start) and keeps it open from then on.
      expect(server.prepare('select count(*) as n from t').get()).toEqual({ n: 3 });
      expect(() => restoreSqlite(backup, file)).toThrow(DatabaseInUseError);
      expect(server.prepare('select count(*) as n from t').get()).toEqual({ n: 3 });
    } finally {
      server.close();
    }
  });

  it('refuses a file that is not a sound SQLite database and changes nothing', () => {
    const { file } = crashedInstallation(dir);
    const notBackup = join(dir, 'notes.txt');
    writeFileSync(notBackup, 'not a database'.repeat(100));
    expect(() => restoreSqlite(notBackup, file)).toThrow(NotABackupError);
    // Named as the user gave it, not as the copy it checks (havre.sqlite.restoring).
    expect(() => restoreSqlite(notBackup, file)).toThrow(`${notBackup} is not a SQLite database`);
    expect(idsIn(file)).toEqual([1, 2, 3]);
    expect(readdirSync(dir).filter((f) => f.includes('restor'))).toEqual([]);
  });

  it('puts the backup in place where there was no database yet', () => {
    const { backup } = crashedInstallation(dir);
    const fresh = join(dir, 'new.sqlite');
    expect(restoreSqlite(backup, fresh).keptAs).toBeNull();
    expect(idsIn(fresh)).toEqual([1]);
  });
});
