/**
 * The partner portal's work: applying, keeping hours and closures current, recording
 * trainings, withdrawing, and the staff review with its audit. Each function is one named
 * unit of work that handlers call.
 */

import { randomUUID } from 'node:crypto';
import type { CurrentUser } from '../accounts/policies.ts';
import { sessionsChanged } from '../accounts/session-cache.ts';
import { grantRole } from '../accounts/store.ts';
import { asLocale } from '../notify/messages.ts';
import { enqueueEmail } from '../notify/outbox.ts';
import { fail } from '../server/errors.ts';
import type { Services } from '../server/services.ts';
import { territoryAt } from '../territories/registry.ts';
import { compileHours } from './hours/compile.ts';
import { dateInZone } from './hours/tz.ts';
import { zoneAt } from './hours/zones.ts';
import { uuidV7 } from './ids.ts';
import type { Accessibility, PartnerStatus, PlaceKind } from './kinds.ts';
import { isFinalStatus, PLACE_LIMITS } from './kinds.ts';
import { placesChanged } from './live-index.ts';
import { type Decision, decisionMessage, partnerPortalLink } from './messages.ts';
import { canManagePlace, canReviewPlace } from './policies.ts';
import { changeStatus, getPlace, insertPlace, isVisible, type PlaceRow } from './store.ts';
import { addMonths, isCalendarDate } from './training.ts';

export interface Application {
  name: string;
  kind: PlaceKind;
  address: string;
  lat: number;
  lon: number;
  openingHours?: string | null;
  phone?: string | null;
  accessibility?: Accessibility | null;
  charterAccepted: true;
}

function checkHours(value: string | null | undefined): string | null {
  const trimmed = value?.trim() || null;
  if (
    trimmed &&
    compileHours(trimmed, { timeZone: 'Europe/Paris', region: 'metropole' }).kind === 'unknown'
  ) {
    fail('PLACE_BAD_HOURS', 'opening_hours could not be read without guessing');
  }
  return trimmed;
}

/** Postcode in a French address ("12 rue X, 75017 Paris"), to refine the holiday calendar. */
const postcodeOf = (address: string) => /\b(\d{5})\b/.exec(address)?.[1] ?? null;

export async function applyAsPartner(
  services: Services,
  user: CurrentUser,
  input: Application,
): Promise<PlaceRow> {
  const { db, clock } = services;
  const openingHours = checkHours(input.openingHours);
  const now = clock.now();
  const zone = zoneAt(input.lat, input.lon, postcodeOf(input.address));
  const territory = await territoryAt(services, input.lat, input.lon);
  const id = randomUUID();
  await db.kysely.transaction().execute(async (tx) => {
    await insertPlace(tx, {
      id,
      name: input.name.trim(),
      kind: input.kind,
      lat: input.lat,
      lon: input.lon,
      address: input.address.trim(),
      phone: input.phone?.trim() || null,
      opening_hours: openingHours,
      time_zone: zone.timeZone,
      holiday_region: zone.region,
      accessibility: input.accessibility ?? null,
      source: 'partner',
      source_id: id,
      territory_code: territory,
      status: 'applied',
      owner_user_id: user.id,
      charter_accepted_at: now,
      trained_staff_count: 0,
      last_training_date: null,
      training_expires_on: null,
      training_reminder_for: null,
      closed_until: null,
      closed_reason: null,
      created_at: now,
      updated_at: now,
    });
    await tx
      .insertInto('place_status_changes')
      .values({
        id: uuidV7(now),
        place_id: id,
        actor_user_id: user.id,
        at: now,
        from_status: null,
        to_status: 'applied',
        reason: null,
      })
      .execute();
  });
  await grantRole(db.kysely, user.id, 'partner');
  await sessionsChanged(services, { userId: user.id });
  return (await getPlace(db.kysely, id))!;
}

async function ownedPlace(services: Services, user: CurrentUser, id: string): Promise<PlaceRow> {
  const place = await getPlace(services.db.kysely, id);
  if (place?.source !== 'partner') return fail('NOT_FOUND', 'No such venue');
  if (!canManagePlace(user, place)) return fail('FORBIDDEN', 'Only the venue’s partner may change it');
  return place;
}

export interface PartnerPatch {
  openingHours?: string | null;
  closedUntil?: string | null;
  closedReason?: string | null;
  phone?: string | null;
  accessibility?: Accessibility | null;
}

function parseInstant(value: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) fail('PLACE_BAD_TIME', 'closedUntil must be an ISO 8601 instant');
  return ms;
}

export async function updatePartnerPlace(
  services: Services,
  user: CurrentUser,
  id: string,
  patch: PartnerPatch,
): Promise<PlaceRow> {
  const place = await ownedPlace(services, user, id);
  if (isFinalStatus(place.status)) {
    fail('PLACE_STATUS_CONFLICT', `This venue is ${place.status}: it is not in the network`);
  }
  const now = services.clock.now();
  const set: Partial<PlaceRow> = { updated_at: now };
  if (patch.openingHours !== undefined) set.opening_hours = checkHours(patch.openingHours);
  if (patch.phone !== undefined) set.phone = patch.phone?.trim() || null;
  if (patch.accessibility !== undefined) set.accessibility = patch.accessibility;
  if (patch.closedUntil !== undefined) {
    const until = patch.closedUntil === null ? null : parseInstant(patch.closedUntil);
    // A closure that already ended is no closure.
    set.closed_until = until !== null && until > now ? until : null;
    if (set.closed_until === null) set.closed_reason = null;
  }
  if (patch.closedReason !== undefined && (set.closed_until ?? place.closed_until)) {
    set.closed_reason = patch.closedReason?.trim() || null;
  }
  await services.db.kysely.updateTable('places').set(set).where('id', '=', id).execute();
  if (isVisible(place)) await placesChanged(services);
  return (await getPlace(services.db.kysely, id))!;
}

export async function recordTraining(
  services: Services,
  user: CurrentUser,
  id: string,
  input: { date: string; staffTrained: number },
): Promise<PlaceRow> {
  const place = await ownedPlace(services, user, id);
  const now = services.clock.now();
  const today = dateInZone(place.time_zone, now);
  if (!isCalendarDate(input.date)) fail('PLACE_BAD_TRAINING_DATE', `${input.date} is not a calendar date`);
  if (input.date > today) fail('PLACE_BAD_TRAINING_DATE', 'A training cannot be recorded before it happens');
  const expires = addMonths(input.date, PLACE_LIMITS.trainingValidityMonths);
  await services.db.kysely.transaction().execute(async (tx) => {
    await tx
      .insertInto('place_trainings')
      .values({
        id: randomUUID(),
        place_id: id,
        date: input.date,
        staff_trained: input.staffTrained,
        recorded_by: user.id,
        created_at: now,
      })
      .execute();
    // An older session recorded late does not replace the latest one.
    if (!place.last_training_date || input.date >= place.last_training_date) {
      await tx
        .updateTable('places')
        .set({
          last_training_date: input.date,
          training_expires_on: expires,
          trained_staff_count: input.staffTrained,
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
    }
  });
  if (isVisible(place)) await placesChanged(services);
  return (await getPlace(services.db.kysely, id))!;
}

export async function withdrawPlace(services: Services, user: CurrentUser, id: string): Promise<PlaceRow> {
  const place = await ownedPlace(services, user, id);
  if (isFinalStatus(place.status)) fail('PLACE_STATUS_CONFLICT', `Already ${place.status}`);
  const now = services.clock.now();
  await services.db.kysely
    .transaction()
    .execute((tx) => changeStatus(tx, place, 'withdrawn', user.id, null, now));
  if (isVisible(place)) await placesChanged(services);
  return (await getPlace(services.db.kysely, id))!;
}

const TRANSITIONS: Record<Decision, { from: PartnerStatus; to: PartnerStatus; needsReason: boolean }> = {
  approve: { from: 'applied', to: 'verified', needsReason: false },
  reject: { from: 'applied', to: 'rejected', needsReason: true },
  suspend: { from: 'verified', to: 'suspended', needsReason: true },
  reinstate: { from: 'suspended', to: 'verified', needsReason: false },
};

export async function reviewPlace(
  services: Services,
  user: CurrentUser,
  id: string,
  input: { decision: Decision; reason?: string },
): Promise<PlaceRow> {
  const { db, clock } = services;
  const place = await getPlace(db.kysely, id);
  if (place?.source !== 'partner') return fail('NOT_FOUND', 'No such venue');
  if (!canReviewPlace(user, place))
    return fail('FORBIDDEN', 'Only staff of the venue’s territory or an admin');
  const rule = TRANSITIONS[input.decision];
  const reason = input.reason?.trim() || null;
  if (rule.needsReason && !reason) fail('VALIDATION', `body.reason is required to ${input.decision}`);
  if (place.status !== rule.from) {
    fail('PLACE_STATUS_CONFLICT', `Cannot ${input.decision} a venue that is ${place.status}`);
  }
  const now = clock.now();
  await db.kysely.transaction().execute(async (tx) => {
    await changeStatus(tx, place, rule.to, user.id, reason, now);
    if (place.owner_user_id) {
      const owner = await tx
        .selectFrom('users')
        .select(['email', 'locale'])
        .where('id', '=', place.owner_user_id)
        .executeTakeFirst();
      if (owner) {
        const link = partnerPortalLink(services.config.publicUrl);
        const message = decisionMessage(asLocale(owner.locale), place.name, input.decision, reason, link);
        await enqueueEmail(tx, now, { to: owner.email, userId: place.owner_user_id, ...message });
      }
    }
  });
  services.outbox.kick();
  await placesChanged(services);
  return (await getPlace(db.kysely, id))!;
}
