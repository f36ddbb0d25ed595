/**
 * Periodic work of the places capability: e-mail partners 30 days before their staff
 * training expires, once per expiry date. Runs on one instance at a time (database lease).
 */
import { type JobSpec, type Scheduler, startScheduler } from '../jobs/scheduler.ts';
import { asLocale } from '../notify/messages.ts';
import { enqueueEmail } from '../notify/outbox.ts';
import type { Services } from '../server/services.ts';
import { dateInZone } from './hours/tz.ts';
import { PLACE_LIMITS } from './kinds.ts';
import { partnerPortalLink, trainingReminderMessage } from './messages.ts';
import { addDays } from './training.ts';

const HOUR = 3_600_000;

/** Sends the reminders that are due; returns how many were queued. */
export async function sendTrainingReminders(services: Services): Promise<number> {
  const { db, clock, config } = services;
  const now = clock.now();
  // The latest local date in France's zones is the one of Europe/Paris or east of it; a day
  // early or late does not matter for a 30-day notice.
  const horizon = addDays(dateInZone('Europe/Paris', now), PLACE_LIMITS.trainingReminderDays);
  const due = await db.kysely
    .selectFrom('places')
    .innerJoin('users', 'users.id', 'places.owner_user_id')
    .select([
      'places.id',
      'places.name',
      'places.training_expires_on',
      'places.owner_user_id',
      'users.email',
      'users.locale',
    ])
    .where('places.source', '=', 'partner')
    .where('places.status', '=', 'verified')
    .where('places.training_expires_on', 'is not', null)
    .where('places.training_expires_on', '<=', horizon)
    .where((eb) =>
      eb.or([
        eb('places.training_reminder_for', 'is', null),
        eb('places.training_reminder_for', '!=', eb.ref('places.training_expires_on')),
      ]),
    )
    .limit(500)
    .execute();
  let sent = 0;
  const link = partnerPortalLink(config.publicUrl);
  for (const row of due) {
    const expires = row.training_expires_on!;
    await db.kysely.transaction().execute(async (tx) => {
      // Claim the reminder first: of two racing runs, only one updates the row.
      const claimed = await tx
        .updateTable('places')
        .set({ training_reminder_for: expires })
        .where('id', '=', row.id)
        .where('training_expires_on', '=', expires)
        .where((eb) =>
          eb.or([eb('training_reminder_for', 'is', null), eb('training_reminder_for', '!=', expires)]),
        )
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) return;
      const message = trainingReminderMessage(asLocale(row.locale), row.name, expires, link);
      await enqueueEmail(tx, now, { to: row.email, userId: row.owner_user_id, ...message });
      sent += 1;
    });
  }
  if (sent) services.outbox.kick();
  return sent;
}

/** The periodic jobs of places, for the scheduler (one runner at a time under a lease). */
export function placesJobs(everyMs = HOUR): JobSpec[] {
  return [{ name: 'places-training-reminders', everyMs, run: (s) => sendTrainingReminders(s) }];
}

/** Starts the places jobs on their own scheduler; `stop()` on shutdown. */
export function startPlacesJobs(services: Services, everyMs = HOUR): Scheduler {
  return startScheduler(services, placesJobs(everyMs));
}
