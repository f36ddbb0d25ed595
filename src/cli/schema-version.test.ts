/**
 * Only `havre migrate` and `havre serve` change the schema. On a database an older release left
 * (its instances perhaps still running: some migrations need them stopped first, DEPLOY §5) the
 * other commands refuse, and `db backup` saves it as it is: the backup before an upgrade.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { undoMigrationsAfter } from '../../test/helpers/migrations.ts';
import { openDatabase } from '../db/database.ts';
import { MIGRATIONS } from '../db/migrate.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/havre.mjs');
/** The last migration of the release before `0017_place_rejections`. */
const OLDER_RELEASE = '0016_trail_log';

/** The migrations a SQLite file records as applied, in order. */
function appliedIn(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map(
      (row) => row.name,
    );
  } finally {
    db.close();
  }
}

describe('the havre command on a database an older release left', () => {
  let dir: string;
  let file: string;
  let later: string[];
  let created: ReturnType<typeof havre>;
  const havre = (args: string[], input?: string) =>
    spawnSync(process.execPath, [bin, ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        HAVRE_DATA_DIR: dir,
        HAVRE_SECRET: 's'.repeat(40),
        HAVRE_LOG_LEVEL: 'warn',
      },
      input,
      encoding: 'utf8',
      timeout: 60_000,
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'havre-cli-schema-'));
    file = join(dir, 'havre.sqlite');
    created = havre(['migrate']);
    expect(created.status).toBe(0);
    const db = await openDatabase(`sqlite:${file}`);
    try {
      later = await undoMigrationsAfter(db.kysely, OLDER_RELEASE);
    } finally {
      await db.close();
    }
    expect(later.length).toBeGreaterThan(0);
    expect(appliedIn(file)).not.toContain(later[0]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names every migration havre migrate applies to a new database', () => {
    const all = Object.keys(MIGRATIONS).sort();
    expect(created.stdout.trim()).toBe(`applied ${all.length} migration(s): ${all.join(', ')}`);
  });

  it('refuses to work on it with 78, naming what is pending, and migrates nothing', () => {
    for (const args of [
      ['admin', 'list'],
      ['territory', 'list'],
      ['places', 'remove', 'osm', 'node/1'],
    ]) {
      const res = havre(args);
      expect(res.status, args.join(' ')).toBe(78);
      expect(res.stderr).toContain(
        'the database schema is behind this version of Havre: run `havre migrate`',
      );
      expect(res.stderr).toContain(`pending: ${later.join(', ')}`);
      expect(res.stdout).toBe('');
    }
    const admin = havre(
      ['admin', 'create', '--email', 'root@example.org', '--password-stdin'],
      'a-long-password-1\n',
    );
    expect(admin.status).toBe(78);
    expect(appliedIn(file)).not.toContain(later[0]);
    const users = new Database(file, { readonly: true });
    expect(users.prepare('select count(*) as n from users').get()).toEqual({ n: 0 });
    users.close();
  });

  it('backs it up as it is, leaving it at its version', () => {
    const out = join(dir, 'before-upgrade.sqlite');
    const res = havre(['db', 'backup', '--out', out]);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const older = Object.keys(MIGRATIONS)
      .sort()
      .filter((name) => name <= OLDER_RELEASE);
    expect(appliedIn(out)).toEqual(older);
    expect(appliedIn(file)).toEqual(older);
  });

  it('migrates it with havre migrate, which names what it applied, after which the commands work', () => {
    const res = havre(['migrate']);
    expect(res.status).toBe(0);
    expect(res.stdout.trim()).toBe(`applied ${later.length} migration(s): ${later.join(', ')}`);
    expect(appliedIn(file)).toEqual(Object.keys(MIGRATIONS).sort());
    expect(havre(['admin', 'list']).status).toBe(0);
    const again = havre(['migrate']);
    expect([again.status, again.stdout.trim()]).toEqual([
      0,
      'database schema is up to date (nothing to apply)',
    ]);
  });
});
