/**
 * Back to an install of an older version: undoes, newest first, every migration released after
 * `after` (each must have a `down`) and forgets it in Kysely's table, so that a test can run a
 * migration on the data an older install had. Returns the names `migrateToLatest` will run again.
 */
import { type Kysely, sql } from 'kysely';
import { MIGRATIONS } from '../../src/db/migrate.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run on an untyped schema
export async function undoMigrationsAfter(db: Kysely<any>, after: string): Promise<string[]> {
  const later = Object.keys(MIGRATIONS)
    .filter((name) => name > after)
    .sort();
  for (const name of [...later].reverse()) {
    const down = MIGRATIONS[name]?.down;
    if (!down) throw new Error(`migration ${name} has no down`);
    await down(db);
    await sql`DELETE FROM kysely_migration WHERE name = ${name}`.execute(db);
  }
  return later;
}
