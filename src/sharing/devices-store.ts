/** Devices: a browser's ECDH public key, registered with its account. */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';

type K = Kysely<Schema>;

export async function registerDevice(db: K, userId: string, publicKey: string, label: string, now: number) {
  // The same key registered twice is the same device.
  const existing = await db
    .selectFrom('devices')
    .select('id')
    .where('user_id', '=', userId)
    .where('public_key', '=', publicKey)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (existing) {
    await db.updateTable('devices').set({ label, last_seen_at: now }).where('id', '=', existing.id).execute();
    return existing.id;
  }
  const id = randomUUID();
  await db
    .insertInto('devices')
    .values({
      id,
      user_id: userId,
      public_key: publicKey,
      label,
      created_at: now,
      last_seen_at: now,
      revoked_at: null,
    })
    .execute();
  return id;
}

export function listDevices(db: K, userId: string) {
  return db
    .selectFrom('devices')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at')
    .execute();
}

/** Revokes a device: it gets no new keys and loses the wrapped keys it had. */
export async function revokeDevice(db: K, userId: string, deviceId: string, now: number): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const result = await tx
      .updateTable('devices')
      .set({ revoked_at: now })
      .where('id', '=', deviceId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await tx.deleteFrom('share_recipients').where('device_id', '=', deviceId).execute();
    return true;
  });
}

/** Live devices of the users who may follow `ownerId`, optionally of one relationship only. */
export function followerDevices(db: K, ownerId: string, relationshipId?: string) {
  let query = db
    .selectFrom('devices')
    .innerJoin('contacts', 'contacts.contact_id', 'devices.user_id')
    .select([
      'devices.id',
      'devices.public_key',
      'devices.created_at',
      'contacts.id as relationshipId',
      'devices.user_id',
    ])
    .where('contacts.owner_id', '=', ownerId)
    .where('contacts.ended_at', 'is', null)
    .where('devices.revoked_at', 'is', null);
  if (relationshipId) query = query.where('contacts.id', '=', relationshipId);
  return query.orderBy('devices.created_at').execute();
}
