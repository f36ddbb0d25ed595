/**
 * Database leases: the same code gives one runner per job on SQLite (one process) and on
 * PostgreSQL (many instances). A lease is taken with one atomic UPDATE … WHERE expired OR
 * mine, so two instances can never both hold it; an instance that dies simply stops
 * renewing and another takes over after `ttlMs`.
 *
 * Taking or renewing is a write, and on SQLite a write on the main connection is a
 * synchronous commit (fsync included) that may first wait for another connection's write
 * lock (the trail worker's), holding the event loop meanwhile. So the holder of a lease that
 * still has `renewBelowMs` or more to run keeps it with a read only, and the row is inserted
 * only when it does not exist yet.
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';

/**
 * Returns the fence token when this holder has the lease, or null. `renewBelowMs` (at most
 * `ttlMs`; `ttlMs` by default: every call renews): a lease of this holder with that long
 * left or more is kept as it is, without a write.
 */
export async function acquireLease(
  db: Kysely<Schema>,
  name: string,
  holder: string,
  ttlMs: number,
  now: number,
  renewBelowMs: number = ttlMs,
): Promise<number | null> {
  const read = () =>
    db
      .selectFrom('leases')
      .select(['holder', 'fence', 'expires_at'])
      .where('name', '=', name)
      .executeTakeFirst();
  let current = await read();
  if (!current) {
    await db
      .insertInto('leases')
      .values({ name, holder: '', expires_at: 0, fence: 0 })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    current = await read();
  }
  const fence = current?.fence ?? 0;
  const mine = current?.holder === holder;
  // Nobody else can take it before it expires: no need to write it again yet.
  if (mine && current && current.expires_at - now >= renewBelowMs) return fence;
  const row = await db
    .updateTable('leases')
    .set({ holder, expires_at: now + ttlMs, fence: mine ? fence : fence + 1 })
    .where('name', '=', name)
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('holder', '=', holder)]))
    .where('fence', '=', fence)
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
