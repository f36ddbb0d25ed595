/**
 * The life of a share session, as named steps that span several stores: start, alert,
 * resolve, end. Each step writes its consequences (status, timer, notices in the outbox)
 * in one transaction, then announces the change to the relays and wakes the outbox.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { notifyUser } from '../notify/notify-user.ts';
import { fail } from '../server/errors.ts';
import type { Services } from '../server/services.ts';
import { isWrappedKey } from '../shared/envelope.ts';
import { followerIds } from './contacts-store.ts';
import { announce } from './events.ts';
import { type SharingNotice, sharingNotice } from './notices.ts';
import { checkinDue, SHARING_RULES, scheduleProblem, sessionLimit } from './rules.ts';
import {
  checkRecipientDevices,
  getSession,
  putRecipients,
  type RecipientKey,
  recipientUserIds,
  type SessionRow,
} from './sessions-store.ts';
import type { EndReason, ShareMode, ShareVisibility } from './tables.ts';

type K = Kysely<Schema>;

export const followUrl = (services: Services, shareId: string) =>
  `${services.config.publicUrl}/suivre/${shareId}`;
export const sharerUrl = (services: Services, shareId: string) =>
  `${services.config.publicUrl}/partage/${shareId}`;

async function ownerEmail(db: K, ownerId: string): Promise<string> {
  const row = await db.selectFrom('users').select('email').where('id', '=', ownerId).executeTakeFirst();
  return row?.email ?? '';
}

/** Queues one notice for each user; `who` is the session owner. */
export async function tellUsers(
  services: Services,
  db: K,
  session: SessionRow,
  userIds: string[],
  kind: SharingNotice,
  channels: { email?: boolean; push?: boolean; sms?: boolean },
): Promise<void> {
  const now = services.clock.now();
  const who = await ownerEmail(db, session.owner_id);
  const notice = sharingNotice(kind, who, followUrl(services, session.id), `havre-${session.id}`);
  for (const userId of userIds) await notifyUser(db, now, userId, notice, channels);
}

/** Checks the wrapped keys and that each device belongs to a live follower of `ownerId`. */
export async function checkedRecipients(db: K, ownerId: string, keys: RecipientKey[]) {
  if (keys.some((k) => !isWrappedKey(k.wrappedKey)))
    fail('VALIDATION', 'wrappedKey is not a version-1 wrapped key');
  if (new Set(keys.map((k) => k.deviceId)).size !== keys.length) fail('VALIDATION', 'a device appears twice');
  const { users, refused } = await checkRecipientDevices(
    db,
    ownerId,
    keys.map((k) => k.deviceId),
  );
  if (refused.length > 0)
    fail('INVALID_RECIPIENT', `not a device of a trusted contact: ${refused.join(', ')}`);
  return users;
}

export interface StartShareInput {
  id?: string;
  mode: Exclude<ShareMode, 'sos'>;
  visibility: ShareVisibility;
  expectedArrival?: number;
  until?: number;
  recipients: RecipientKey[];
  meta?: string;
  stillMinutes?: number;
}

export async function startShare(
  services: Services,
  ownerId: string,
  input: StartShareInput,
): Promise<SessionRow> {
  const { db, clock } = services;
  const now = clock.now();
  const times = {
    mode: input.mode,
    expectedArrival: input.expectedArrival ?? null,
    until: input.until ?? null,
  };
  const problem = scheduleProblem(times, input.visibility, now);
  if (problem) fail('VALIDATION', problem);
  const id = input.id ?? randomUUID();
  const session = await db.kysely.transaction().execute(async (tx) => {
    const users = await checkedRecipients(tx, ownerId, input.recipients);
    if (await getSession(tx, id)) fail('CONFLICT', 'a session with this id exists');
    const row: SessionRow = {
      id,
      owner_id: ownerId,
      mode: input.mode,
      visibility: input.visibility,
      chosen_visibility: input.visibility,
      status: 'active',
      meta: input.meta ?? null,
      expected_arrival: times.expectedArrival,
      until: times.until,
      still_minutes: input.stillMinutes ?? SHARING_RULES.defaultStillMinutes,
      created_at: now,
      ends_at: sessionLimit(times, now),
      ended_at: null,
      end_reason: null,
      alert_reason: null,
      last_seq: null,
      last_position_at: null,
    };
    await tx.insertInto('share_sessions').values(row).execute();
    await putRecipients(tx, id, input.recipients, users, now);
    const due = checkinDue(times);
    await tx
      .insertInto('checkin_timers')
      .values({
        share_id: id,
        state: due === null ? 'idle' : 'pending',
        due_at: due,
        reason: null,
        asked_at: null,
        fired_at: null,
        handled_at: null,
      })
      .execute();
    await tellUsers(services, tx, row, [...new Set(users.values())], 'started', { push: true });
    return row;
  });
  services.outbox.kick();
  return session;
}

/**
 * Alerts the contacts (missed check-in, immobility without answer, SOS). In check-in mode
 * the watchers are given access from now on; an SOS also switches the session to live.
 * Runs inside the caller's transaction; the caller announces the returned change.
 */
export async function raiseAlert(
  services: Services,
  tx: K,
  session: SessionRow,
  reason: 'overdue' | 'still' | 'sos',
): Promise<{ status: 'alerted'; visibility: ShareVisibility }> {
  const now = services.clock.now();
  const visibility: ShareVisibility = reason === 'sos' ? 'live' : session.visibility;
  await tx
    .updateTable('share_sessions')
    .set({
      status: 'alerted',
      alert_reason: reason,
      visibility,
      ends_at: Math.max(session.ends_at, now + SHARING_RULES.alertKeepsOpenMs),
    })
    .where('id', '=', session.id)
    .execute();
  const users =
    reason === 'sos' ? await followerIds(tx, session.owner_id) : await recipientUserIds(tx, session);
  await tellUsers(services, tx, session, users, `alert-${reason}`, { email: true, push: true, sms: true });
  return { status: 'alerted', visibility };
}

/** After "I'm OK" that follows an alert (not an SOS): back to what the sharer chose, contacts told. */
export async function resolveAlert(
  services: Services,
  tx: K,
  session: SessionRow,
  kind: 'resolved' | 'sos-cancelled',
) {
  await tx
    .updateTable('share_sessions')
    .set({ status: 'active', alert_reason: null, visibility: session.chosen_visibility })
    .where('id', '=', session.id)
    .execute();
  const users =
    kind === 'sos-cancelled' ? await followerIds(tx, session.owner_id) : await recipientUserIds(tx, session);
  await tellUsers(services, tx, session, users, kind, {
    email: true,
    push: true,
    sms: kind === 'sos-cancelled',
  });
  return { status: 'active' as const, visibility: session.chosen_visibility };
}

/** Ends a session ("I have arrived", its limit, a cancelled SOS session). False if it had ended. */
export async function endShare(
  services: Services,
  shareId: string,
  reason: EndReason,
  tell: SharingNotice | null,
): Promise<boolean> {
  const { db, clock } = services;
  const now = clock.now();
  const ended = await db.kysely.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable('share_sessions')
      .set({ status: 'ended', ended_at: now, end_reason: reason })
      .where('id', '=', shareId)
      .where('status', '!=', 'ended')
      .returningAll()
      .executeTakeFirst();
    if (!row) return false;
    await tx
      .updateTable('checkin_timers')
      .set({ state: 'done', due_at: null })
      .where('share_id', '=', shareId)
      .execute();
    await tx
      .updateTable('guest_links')
      .set({ revoked_at: now })
      .where('share_id', '=', shareId)
      .where('revoked_at', 'is', null)
      .execute();
    if (tell) {
      const users =
        tell === 'sos-cancelled' ? await followerIds(tx, row.owner_id) : await recipientUserIds(tx, row);
      await tellUsers(services, tx, row, users, tell, {
        email: true,
        push: true,
        sms: tell === 'sos-cancelled',
      });
    }
    return true;
  });
  if (ended) {
    await announce(services.bus, { t: 'ended', share: shareId, reason });
    services.outbox.kick();
  }
  return ended;
}

/** Ends the sessions whose limit has passed. Returns their ids. */
export async function endExpiredSessions(services: Services): Promise<string[]> {
  const now = services.clock.now();
  const due = await services.db.kysely
    .selectFrom('share_sessions')
    .select('id')
    .where('status', '!=', 'ended')
    .where('ends_at', '<=', now)
    .execute();
  const ended: string[] = [];
  for (const { id } of due) if (await endShare(services, id, 'limit', null)) ended.push(id);
  return ended;
}

/** Deletes the ciphertext of sessions that ended longer ago than the retention. */
export async function purgeEndedTrails(services: Services): Promise<number> {
  const { db, clock, config } = services;
  const cutoff = clock.now() - config.trailRetentionMs;
  return db.kysely.transaction().execute(async (tx) => {
    const expired = tx
      .selectFrom('share_sessions')
      .select('id')
      .where('status', '=', 'ended')
      .where('ended_at', '<=', cutoff);
    const trail = await tx.deleteFrom('trail_points').where('share_id', 'in', expired).executeTakeFirst();
    // SQLite's append log (trail-store.ts): points not moved yet must not outlive the retention.
    const logged = await tx.deleteFrom('trail_log').where('share_id', 'in', expired).executeTakeFirst();
    await tx.deleteFrom('share_recipients').where('share_id', 'in', expired).execute();
    await tx.deleteFrom('guest_links').where('share_id', 'in', expired).execute();
    await tx
      .updateTable('share_sessions')
      .set({ meta: null })
      .where('status', '=', 'ended')
      .where('ended_at', '<=', cutoff)
      .where('meta', 'is not', null)
      .execute();
    return Number(trail.numDeletedRows) + Number(logged.numDeletedRows);
  });
}
