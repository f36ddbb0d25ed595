/**
 * GDPR: a partner's venues, trainings and decisions belong to their export. Erasing the
 * account withdraws the venues it owns (nobody could keep their hours true any more); the
 * foreign keys then drop the owner and the audit keeps the decisions without the person.
 */

import { registerPersonalData } from '../accounts/personal-data.ts';
import { uuidV7 } from './ids.ts';

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

registerPersonalData({
  name: 'partnerVenues',
  async export(db, userId) {
    const venues = await db
      .selectFrom('places')
      .select([
        'id',
        'name',
        'kind',
        'address',
        'phone',
        'opening_hours',
        'status',
        'charter_accepted_at',
        'created_at',
      ])
      .where('owner_user_id', '=', userId)
      .execute();
    const trainings = await db
      .selectFrom('place_trainings')
      .select(['place_id', 'date', 'staff_trained', 'created_at'])
      .where('recorded_by', '=', userId)
      .execute();
    const decisions = await db
      .selectFrom('place_status_changes')
      .select(['place_id', 'at', 'from_status', 'to_status', 'reason'])
      .where('actor_user_id', '=', userId)
      .execute();
    return {
      venues: venues.map((v) => ({
        id: v.id,
        name: v.name,
        kind: v.kind,
        address: v.address,
        phone: v.phone,
        openingHours: v.opening_hours,
        status: v.status,
        charterAcceptedAt: iso(v.charter_accepted_at),
        createdAt: iso(v.created_at),
      })),
      trainingsRecorded: trainings.map((t) => ({
        placeId: t.place_id,
        date: t.date,
        staffTrained: t.staff_trained,
        recordedAt: iso(t.created_at),
      })),
      statusChanges: decisions.map((d) => ({
        placeId: d.place_id,
        at: iso(d.at),
        from: d.from_status,
        to: d.to_status,
        reason: d.reason,
      })),
    };
  },
  async erase(tx, userId) {
    const owned = await tx
      .selectFrom('places')
      .select(['id', 'status'])
      .where('owner_user_id', '=', userId)
      .where('status', '!=', 'withdrawn')
      .execute();
    const now = Date.now();
    for (const place of owned) {
      await tx
        .updateTable('places')
        .set({ status: 'withdrawn', updated_at: now })
        .where('id', '=', place.id)
        .execute();
      await tx
        .insertInto('place_status_changes')
        .values({
          id: uuidV7(now),
          place_id: place.id,
          actor_user_id: null,
          at: now,
          from_status: place.status,
          to_status: 'withdrawn',
          reason: 'account erased',
        })
        .execute();
    }
  },
});
