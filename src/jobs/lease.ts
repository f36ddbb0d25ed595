/**
 * Database leases: the same code gives one runner per job on SQLite (one process) and on
 * PostgreSQL (many instances). A lease is taken with one atomic UPDATE … WHERE expired OR
 * mine, so two instances can never both hold it; an instance that dies simply stops
 * renewing and another takes over after `ttlMs`.
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';

/** Returns the fence token when this holder has the lease, or null. */
export async function acquireLease(
  db: Kysely<Schema>,
  name: string,
  holder: string,
  ttlMs: number,
  now: number,
): Promise<number | null> {
  await db
    .insertInto('leases')
    .values({ name, holder: '', expires_at: 0, fence: 0 })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const current = await db
    .selectFrom('leases')
    .select(['holder', 'fence'])
    .where('name', '=', name)
    .executeTakeFirst();
  const nextFence = current && current.holder === holder ? current.fence : (current?.fence ?? 0) + 1;
  const row = await db
    .updateTable('leases')
    .set({ holder, expires_at: now + ttlMs, fence: nextFence })
    .where('name', '=', name)
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('holder', '=', holder)]))
    .where('fence', '=', current?.fence ?? 0)
    .returning('fence')
    .executeTakeFirst();
  return row?.fence ?? null;
}

export async function releaseLease(db: Kysely<Schema>, name: string, holder: string): Promise<void> {
  await db
    .updateTable('leases')
    .set({ expires_at: 0 })
    .where('name', '=', name)
    .where('holder', '=', holder)
    .execute();
}
