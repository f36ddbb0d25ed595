/**
 * GDPR: a partner's venues (every column), the trainings and decisions she recorded and those
 * about her venues belong to her export. Erasing the
 * account withdraws the venues it owns (nobody could keep their hours true any more); the
 * foreign keys then drop the owner and the audit keeps the decisions without the person.
 */

import { registerPersonalData } from '../accounts/personal-data.ts';
import { uuidV7 } from './ids.ts';

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

registerPersonalData({
  name: 'partnerVenues',
  async export(db, userId) {
    const venues = await db.selectFrom('places').selectAll().where('owner_user_id', '=', userId).execute();
    const herVenues = db.selectFrom('places').select('id').where('owner_user_id', '=', userId);
    // What she recorded or decided, and everything recorded or decided about her venues (without
    // who did it: a staff member's identity is theirs).
    const trainings = await db
      .selectFrom('place_trainings')
      .select(['id', 'place_id', 'date', 'staff_trained', 'created_at'])
      .where((eb) => eb.or([eb('recorded_by', '=', userId), eb('place_id', 'in', herVenues)]))
      .execute();
    const decisions = await db
      .selectFrom('place_status_changes')
      .select(['id', 'place_id', 'at', 'from_status', 'to_status', 'reason'])
      .where((eb) => eb.or([eb('actor_user_id', '=', userId), eb('place_id', 'in', herVenues)]))
      .execute();
    return {
      venues: venues.map((v) => ({
        id: v.id,
        name: v.name,
        kind: v.kind,
        lat: v.lat,
        lon: v.lon,
        address: v.address,
        phone: v.phone,
        openingHours: v.opening_hours,
        timeZone: v.time_zone,
        holidayRegion: v.holiday_region,
        accessibility: v.accessibility,
        source: v.source,
        sourceId: v.source_id,
        territoryCode: v.territory_code,
        status: v.status,
        charterAcceptedAt: iso(v.charter_accepted_at),
        trainedStaffCount: v.trained_staff_count,
        lastTrainingDate: v.last_training_date,
        trainingExpiresOn: v.training_expires_on,
        trainingReminderFor: v.training_reminder_for,
        closedUntil: iso(v.closed_until),
        closedReason: v.closed_reason,
        createdAt: iso(v.created_at),
        updatedAt: iso(v.updated_at),
      })),
      trainingsRecorded: trainings.map((t) => ({
        id: t.id,
        placeId: t.place_id,
        date: t.date,
        staffTrained: t.staff_trained,
        recordedAt: iso(t.created_at),
      })),
      statusChanges: decisions.map((d) => ({
        id: d.id,
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
      .where('status', 'not in', ['withdrawn', 'rejected'])
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
