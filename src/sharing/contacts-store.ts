/** Trusted contacts: one-time invitations, relationships (owner shares with contact). */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { hashToken, newToken } from '../accounts/tokens.ts';
import type { Schema } from '../db/schema.ts';

type K = Kysely<Schema>;

export async function createInvite(db: K, ownerId: string, now: number, ttlMs: number): Promise<string> {
  const token = newToken();
  await db
    .insertInto('contact_invites')
    .values({
      token_hash: hashToken(token),
      owner_id: ownerId,
      created_at: now,
      expires_at: now + ttlMs,
      used_at: null,
    })
    .execute();
  return token;
}

/** Who made an invitation that can still be used (unused, unexpired); reads without using it. */
export async function inviteOwner(db: K, token: string, now: number): Promise<string | null> {
  const invite = await db
    .selectFrom('contact_invites')
    .select('owner_id')
    .where('token_hash', '=', hashToken(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return invite?.owner_id ?? null;
}

export type AcceptResult =
  | { ok: true; contactId: string; ownerId: string }
  | { ok: false; reason: 'invalid' | 'self' };

/**
 * Uses the invitation once. Accepting one's own link does not consume it. Accepting while the
 * relationship already exists returns it (the link is consumed all the same).
 */
export async function acceptInvite(
  db: K,
  token: string,
  contactId: string,
  now: number,
): Promise<AcceptResult> {
  return db.transaction().execute(async (tx) => {
    const invite = await tx
      .selectFrom('contact_invites')
      .select(['owner_id'])
      .where('token_hash', '=', hashToken(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (!invite) return { ok: false, reason: 'invalid' } as const;
    if (invite.owner_id === contactId) return { ok: false, reason: 'self' } as const;
    const used = await tx
      .updateTable('contact_invites')
      .set({ used_at: now })
      .where('token_hash', '=', hashToken(token))
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) return { ok: false, reason: 'invalid' } as const;
    const existing = await liveRelationship(tx, invite.owner_id, contactId);
    if (existing) return { ok: true, contactId: existing.id, ownerId: invite.owner_id } as const;
    const id = randomUUID();
    await tx
      .insertInto('contacts')
      .values({ id, owner_id: invite.owner_id, contact_id: contactId, created_at: now, ended_at: null })
      .execute();
    return { ok: true, contactId: id, ownerId: invite.owner_id } as const;
  });
}

export function liveRelationship(db: K, ownerId: string, contactId: string) {
  return db
    .selectFrom('contacts')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .where('contact_id', '=', contactId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
}

export function getRelationship(db: K, id: string) {
  return db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Ends a live relationship; returns it, or undefined when it was not live. */
export async function endRelationship(db: K, id: string, now: number) {
  const row = await db
    .updateTable('contacts')
    .set({ ended_at: now })
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .returning(['id', 'owner_id', 'contact_id'])
    .executeTakeFirst();
  if (!row) return undefined;
  // The contact loses the wrapped keys of the owner's sessions at once.
  await db
    .deleteFrom('share_recipients')
    .where('user_id', '=', row.contact_id)
    .where(
      'share_id',
      'in',
      db.selectFrom('share_sessions').select('id').where('owner_id', '=', row.owner_id),
    )
    .execute();
  return row;
}

/** The two sides of a user's relationships, with the other person's e-mail only. */
export async function listRelationships(db: K, userId: string) {
  const following = await db
    .selectFrom('contacts')
    .innerJoin('users', 'users.id', 'contacts.owner_id')
    .select(['contacts.id', 'contacts.owner_id as userId', 'users.email', 'contacts.created_at'])
    .where('contacts.contact_id', '=', userId)
    .where('contacts.ended_at', 'is', null)
    .orderBy('contacts.created_at')
    .execute();
  const followers = await db
    .selectFrom('contacts')
    .innerJoin('users', 'users.id', 'contacts.contact_id')
    .select(['contacts.id', 'contacts.contact_id as userId', 'users.email', 'contacts.created_at'])
    .where('contacts.owner_id', '=', userId)
    .where('contacts.ended_at', 'is', null)
    .orderBy('contacts.created_at')
    .execute();
  return { following, followers };
}

/** Users who may follow `ownerId` (live relationships). */
export async function followerIds(db: K, ownerId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('contacts')
    .select('contact_id')
    .where('owner_id', '=', ownerId)
    .where('ended_at', 'is', null)
    .execute();
  return rows.map((r) => r.contact_id);
}
