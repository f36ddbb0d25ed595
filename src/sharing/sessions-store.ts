/** Share sessions, their recipients (wrapped keys) and guest links. */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { hashToken, newToken } from '../accounts/tokens.ts';
import type { Schema } from '../db/schema.ts';

type K = Kysely<Schema>;
export type SessionRow = Schema['share_sessions'];

export interface RecipientKey {
  deviceId: string;
  wrappedKey: string;
}

export function getSession(db: K, id: string) {
  return db.selectFrom('share_sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Checks that every device belongs to a live follower of the owner and is not revoked.
 * Returns the device → user map, or the ids that are not acceptable.
 */
export async function checkRecipientDevices(
  db: K,
  ownerId: string,
  deviceIds: string[],
): Promise<{ users: Map<string, string>; refused: string[] }> {
  const users = new Map<string, string>();
  if (deviceIds.length === 0) return { users, refused: [] };
  const rows = await db
    .selectFrom('devices')
    .innerJoin('contacts', 'contacts.contact_id', 'devices.user_id')
    .select(['devices.id', 'devices.user_id'])
    .where('devices.id', 'in', deviceIds)
    .where('devices.revoked_at', 'is', null)
    .where('contacts.owner_id', '=', ownerId)
    .where('contacts.ended_at', 'is', null)
    .execute();
  for (const row of rows) users.set(row.id, row.user_id);
  return { users, refused: deviceIds.filter((id) => !users.has(id)) };
}

/** Adds or replaces wrapped keys (devices already checked). */
export async function putRecipients(
  db: K,
  shareId: string,
  keys: RecipientKey[],
  users: Map<string, string>,
  now: number,
): Promise<void> {
  for (const key of keys) {
    await db
      .insertInto('share_recipients')
      .values({
        share_id: shareId,
        device_id: key.deviceId,
        user_id: users.get(key.deviceId)!,
        wrapped_key: key.wrappedKey,
        created_at: now,
      })
      .onConflict((oc) => oc.columns(['share_id', 'device_id']).doUpdateSet({ wrapped_key: key.wrappedKey }))
      .execute();
  }
}

/** Users chosen for a session who still follow its owner. */
export async function recipientUserIds(db: K, share: { id: string; owner_id: string }): Promise<string[]> {
  const rows = await db
    .selectFrom('share_recipients')
    .innerJoin('contacts', 'contacts.contact_id', 'share_recipients.user_id')
    .select('share_recipients.user_id')
    .distinct()
    .where('share_recipients.share_id', '=', share.id)
    .where('contacts.owner_id', '=', share.owner_id)
    .where('contacts.ended_at', 'is', null)
    .execute();
  return rows.map((r) => r.user_id);
}

/** Whether `userId` is a chosen recipient of the session and still follows its owner. */
export async function isRecipient(db: K, share: { id: string; owner_id: string }, userId: string) {
  const row = await db
    .selectFrom('share_recipients')
    .innerJoin('contacts', 'contacts.contact_id', 'share_recipients.user_id')
    .select('share_recipients.user_id')
    .where('share_recipients.share_id', '=', share.id)
    .where('share_recipients.user_id', '=', userId)
    .where('contacts.owner_id', '=', share.owner_id)
    .where('contacts.ended_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

/** Access to the sessions `ids` as stored: status, who may follow, revoked guest links (Relay.resync). */
export async function storedAccess(db: K, ids: string[]) {
  const sessions = await db
    .selectFrom('share_sessions')
    .select(['id', 'status', 'visibility'])
    .where('id', 'in', ids)
    .execute();
  // The same rule as isRecipient, for every session at once.
  const followers = await db
    .selectFrom('share_recipients')
    .innerJoin('share_sessions', 'share_sessions.id', 'share_recipients.share_id')
    .innerJoin('contacts', (join) =>
      join
        .onRef('contacts.contact_id', '=', 'share_recipients.user_id')
        .onRef('contacts.owner_id', '=', 'share_sessions.owner_id'),
    )
    .select(['share_recipients.share_id as share', 'share_recipients.user_id as user'])
    .distinct()
    .where('share_recipients.share_id', 'in', ids)
    .where('contacts.ended_at', 'is', null)
    .execute();
  const revoked = await db
    .selectFrom('guest_links')
    .select('id')
    .where('share_id', 'in', ids)
    .where('revoked_at', 'is not', null)
    .execute();
  return { sessions, followers, revokedLinks: revoked.map((r) => r.id) };
}

export function wrappedKeysFor(db: K, shareId: string, userId: string) {
  return db
    .selectFrom('share_recipients')
    .select(['device_id', 'wrapped_key'])
    .where('share_id', '=', shareId)
    .where('user_id', '=', userId)
    .execute();
}

export function recipientsOf(db: K, shareId: string) {
  return db
    .selectFrom('share_recipients')
    .innerJoin('contacts', (join) =>
      join.onRef('contacts.contact_id', '=', 'share_recipients.user_id').on('contacts.ended_at', 'is', null),
    )
    .innerJoin('share_sessions', (join) =>
      join
        .onRef('share_sessions.id', '=', 'share_recipients.share_id')
        .onRef('share_sessions.owner_id', '=', 'contacts.owner_id'),
    )
    .select(['share_recipients.device_id', 'contacts.id as relationshipId'])
    .where('share_recipients.share_id', '=', shareId)
    .execute();
}

// ---- guest links ----

export async function createGuestLink(db: K, shareId: string, now: number, expiresAt: number) {
  const token = newToken();
  const id = randomUUID();
  await db
    .insertInto('guest_links')
    .values({
      id,
      share_id: shareId,
      token_hash: hashToken(token),
      created_at: now,
      expires_at: expiresAt,
      revoked_at: null,
    })
    .execute();
  return { id, token };
}

/** The link behind a token, if it is neither revoked nor expired. */
export function findGuestLink(db: K, token: string, now: number) {
  return db
    .selectFrom('guest_links')
    .select(['id', 'share_id', 'expires_at'])
    .where('token_hash', '=', hashToken(token))
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

export async function revokeGuestLink(db: K, shareId: string, linkId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('guest_links')
    .set({ revoked_at: now })
    .where('id', '=', linkId)
    .where('share_id', '=', shareId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function guestLinksOf(db: K, shareId: string) {
  return db
    .selectFrom('guest_links')
    .select(['id', 'created_at', 'expires_at', 'revoked_at'])
    .where('share_id', '=', shareId)
    .orderBy('created_at')
    .execute();
}

// ---- lists ----

export function activeSessionsOf(db: K, ownerId: string) {
  return db
    .selectFrom('share_sessions')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .where('status', '!=', 'ended')
    .orderBy('created_at', 'desc')
    .execute();
}

/** Sessions `userId` may follow now: chosen as recipient, relationship live, session not ended. */
export function followableSessions(db: K, userId: string) {
  return db
    .selectFrom('share_sessions')
    .innerJoin('contacts', (join) =>
      join
        .onRef('contacts.owner_id', '=', 'share_sessions.owner_id')
        .on('contacts.contact_id', '=', userId)
        .on('contacts.ended_at', 'is', null),
    )
    .innerJoin('users', 'users.id', 'share_sessions.owner_id')
    .selectAll('share_sessions')
    .select('users.email as owner_email')
    .where('share_sessions.status', '!=', 'ended')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('share_recipients')
          .select('share_recipients.share_id')
          .whereRef('share_recipients.share_id', '=', 'share_sessions.id')
          .where('share_recipients.user_id', '=', userId),
      ),
    )
    .orderBy('share_sessions.created_at', 'desc')
    .execute();
}
