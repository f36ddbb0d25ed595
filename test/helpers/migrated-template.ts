/**
 * A test's fresh SQLite database starts as a copy of one migrated once per test process,
 * instead of running every migration again (a test app's start: 120 → 95 ms on a calm machine,
 * paid hundreds of times a run). The migrations themselves still run: once per process here, in
 * the tests that open or roll back databases themselves (src/db/, src/reports/*migration*), in
 * every Havre the CLI, deployment and browser tests start, and on PostgreSQL for every test
 * schema — there a pg_dump of a migrated schema replayed in one query was measured no faster
 * than migrating (the DDL is the cost, not the round trips). Havre's start then finds every
 * migration applied, as on a server that restarts.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import type { Backend } from './backends.ts';

/** Fills the fresh database of `backend` when it is a SQLite file not yet made. */
export async function fromMigratedTemplate(backend: Backend): Promise<void> {
  if (backend.name !== 'sqlite') return;
  copyFileSync(await sqliteTemplate(), backend.databaseUrl.slice('sqlite:'.length));
}

let template: Promise<string> | null = null;

function sqliteTemplate(): Promise<string> {
  template ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'havre-template-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'migrated.sqlite');
    const db = await openDatabase(`sqlite:${path}`);
    await migrateToLatest(db);
    // Closing the last connection checkpoints the WAL into the file: the file alone is the copy.
    await db.close();
    return path;
  })();
  return template;
}
