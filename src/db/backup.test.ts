/**
 * What `havre db backup` and the embedded database leave on disk is readable by the service's
 * user only, and the PostgreSQL password never reaches pg_dump's command line.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POSTGRES_URL } from '../../test/helpers/backends.ts';
import { backupDatabase, pgDumpCommand, type Spawn } from './backup.ts';
import { type Db, openDatabase } from './database.ts';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('files of the embedded database and its backups', () => {
  let dir: string;
  let db: Db | null = null;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'havre-backup-'));
  });
  afterEach(async () => {
    await db?.close();
    db = null;
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the data directory 0700 and the database file 0600 (its write-ahead log too)', async () => {
    const data = join(dir, 'var');
    db = await openDatabase(`sqlite:${join(data, 'havre.sqlite')}`);
    db.sqlite!.exec('create table t (x); insert into t values (1)');
    expect(mode(data)).toBe(0o700);
    expect(mode(join(data, 'havre.sqlite'))).toBe(0o600);
    expect(mode(join(data, 'havre.sqlite-wal'))).toBe(0o600);
  });

  it('keeps the mode of a data directory and database file the operator made', async () => {
    const file = join(dir, 'havre.sqlite');
    writeFileSync(file, '');
    chmodSync(file, 0o640);
    chmodSync(dir, 0o750);
    db = await openDatabase(`sqlite:${file}`);
    expect(mode(file)).toBe(0o640);
    expect(mode(dir)).toBe(0o750);
  });

  it('writes a SQLite backup 0600, also over an existing world-readable file, and it is complete', async () => {
    db = await openDatabase(`sqlite:${join(dir, 'havre.sqlite')}`);
    db.sqlite!.exec('create table t (x); insert into t values (1), (2)');
    const fresh = join(dir, 'fresh.sqlite');
    const existing = join(dir, 'existing.sqlite');
    writeFileSync(existing, 'an older backup');
    chmodSync(existing, 0o644);
    for (const out of [fresh, existing]) {
      await backupDatabase(db, db.sqlite!.name, out);
      expect(mode(out), out).toBe(0o600);
      const copy = new Database(out, { readonly: true });
      expect(copy.prepare('select count(*) as n from t').get()).toEqual({ n: 2 });
      copy.close();
    }
  });
});

describe("pg_dump's command line", () => {
  it.each([
    ['postgres://havre:s3cr%40t@db:5432/havre', 'postgres://havre@db:5432/havre', 's3cr@t'],
    ['postgresql://havre:pw@db/havre?sslmode=require', 'postgresql://havre@db/havre?sslmode=require', 'pw'],
    [
      'postgres://havre@db/havre?password=p%26w&options=-c+search_path%3Dx',
      'postgres://havre@db/havre?options=-c+search_path%3Dx',
      'p&w',
    ],
    ['postgres://havre:@db/havre', 'postgres://havre@db/havre', ''],
  ])('moves the password of %s to PGPASSWORD', (url, withoutIt, password) => {
    const { args, env } = pgDumpCommand(url, '/backups/havre.dump', { PATH: '/usr/bin' });
    expect(args).toEqual(['--format=custom', '--file=/backups/havre.dump', withoutIt]);
    expect(env).toEqual({ PATH: '/usr/bin', PGPASSWORD: password });
  });

  it('passes a URL without a password as it is, and leaves PGPASSWORD or ~/.pgpass to the operator', () => {
    const { args, env } = pgDumpCommand('postgres://havre@db/havre', 'out', { PGPASSWORD: 'theirs' });
    expect(args[2]).toBe('postgres://havre@db/havre');
    expect(env.PGPASSWORD).toBe('theirs');
  });
});

describe.runIf(POSTGRES_URL)('a PostgreSQL backup', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'havre-backup-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs pg_dump without the password in its arguments, and writes the dump 0600', async () => {
    // The test server trusts local connections: the password is carried, never checked.
    const url = new URL(POSTGRES_URL!);
    url.password = 'not-on-the-command-line';
    const seen: { args: string[]; env: NodeJS.ProcessEnv }[] = [];
    const recording: Spawn = (command, args, options): ChildProcess => {
      seen.push({ args, env: options.env });
      return spawn(command, args, { env: options.env, stdio: ['ignore', 'ignore', 'pipe'] });
    };
    const out = join(dir, 'havre.dump');
    await backupDatabase({ dialect: 'postgres' } as Db, url.toString(), out, recording);
    expect(seen).toHaveLength(1);
    expect(seen[0].args.join(' ')).not.toContain('not-on-the-command-line');
    expect(seen[0].env.PGPASSWORD).toBe('not-on-the-command-line');
    expect(mode(out)).toBe(0o600);
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('PGDMP'); // custom format
  });
});
