/** Places storage: places, partner status audit, trainings. */
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { uuidV7 } from './ids.ts';
import type { PartnerStatus } from './kinds.ts';
import type { PlacesTables } from './tables.ts';

type K = Kysely<Schema> | Transaction<Schema>;
export type PlaceRow = Selectable<PlacesTables['places']>;
export type NewPlace = Insertable<PlacesTables['places']>;

export function getPlace(db: K, id: string): Promise<PlaceRow | undefined> {
  return db.selectFrom('places').selectAll().where('id', '=', id).executeTakeFirst();
}

/** What the public sees: official and OSM places, and verified partner venues. */
export function listVisiblePlaces(db: K): Promise<PlaceRow[]> {
  return db
    .selectFrom('places')
    .selectAll()
    .where((eb) => eb.or([eb('source', '!=', 'partner'), eb('status', '=', 'verified')]))
    .orderBy('id')
    .execute();
}

export const isVisible = (row: Pick<PlaceRow, 'source' | 'status'>): boolean =>
  row.source !== 'partner' || row.status === 'verified';

export function listOwnedPlaces(db: K, userId: string): Promise<PlaceRow[]> {
  return (
    db
      .selectFrom('places')
      .selectAll()
      .where('owner_user_id', '=', userId)
      // Newest first, as the portal adds a venue that just applied.
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute()
  );
}

export function listTerritoryPlaces(db: K, territoryCode: string, status: PartnerStatus | null) {
  let query = db
    .selectFrom('places')
    .selectAll()
    .where('territory_code', '=', territoryCode)
    .where('source', '=', 'partner');
  if (status) query = query.where('status', '=', status);
  return query.orderBy('created_at').orderBy('id').limit(1000).execute();
}

export async function countPlaces(db: K): Promise<number> {
  const row = await db
    .selectFrom('places')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function insertPlace(db: K, place: NewPlace): Promise<void> {
  await db.insertInto('places').values(place).execute();
}

/** Changes a partner's status and writes the audit row, in one transaction. */
export async function changeStatus(
  tx: Transaction<Schema>,
  place: PlaceRow,
  to: PartnerStatus,
  actorUserId: string | null,
  reason: string | null,
  now: number,
): Promise<void> {
  await tx.updateTable('places').set({ status: to, updated_at: now }).where('id', '=', place.id).execute();
  await tx
    .insertInto('place_status_changes')
    .values({
      id: uuidV7(now),
      place_id: place.id,
      actor_user_id: actorUserId,
      at: now,
      from_status: place.status,
      to_status: to,
      reason,
    })
    .execute();
}

export function listStatusChanges(db: K, placeId: string) {
  return db
    .selectFrom('place_status_changes')
    .selectAll()
    .where('place_id', '=', placeId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/**
 * The reason given with the change to each venue's current status (its latest audit row): a
 * refusal's or a suspension's, told to the partner. Who gave it stays in the audit.
 */
export async function currentStatusReasons(db: K, placeIds: string[]): Promise<Map<string, string | null>> {
  const reasons = new Map<string, string | null>();
  if (placeIds.length === 0) return reasons;
  const rows = await db
    .selectFrom('place_status_changes')
    .select(['place_id', 'reason'])
    .where('place_id', 'in', placeIds)
    .orderBy('at')
    .orderBy('id')
    .execute();
  for (const row of rows) reasons.set(row.place_id, row.reason);
  return reasons;
}

export function listTrainings(db: K, placeId: string) {
  return db
    .selectFrom('place_trainings')
    .selectAll()
    .where('place_id', '=', placeId)
    .orderBy('date', 'desc')
    .execute();
}
