/**
 * SOS: live sharing for every trusted contact at once, who are alerted on every channel.
 * Cancelling needs a confirmation (the SOS PIN, the account password, or a passkey: the
 * phone's fingerprint, face or screen lock, passkeys.ts): a phone taken
 * from its owner must not silence the alert.
 */
import { randomUUID } from 'node:crypto';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { type Kysely, sql } from 'kysely';
import { verifyPassword } from '../accounts/passwords.ts';
import { isAccountPassword } from '../accounts/store.ts';
import { type Counters, MemoryCounters } from '../bus/counters.ts';
import { advisoryLockId } from '../db/advisory-lock.ts';
import type { Schema } from '../db/schema.ts';
import { fail } from '../server/errors.ts';
import type { Services } from '../server/services.ts';
import { announce } from './events.ts';
import { checkedRecipients, endShare, raiseAlert, resolveAlert } from './lifecycle.ts';
import { passkeyConfirms } from './passkeys.ts';
import { checkinDue, restoredTimer, SHARING_RULES } from './rules.ts';
import { getSession, putRecipients, type RecipientKey, type SessionRow } from './sessions-store.ts';

const CANCEL_WINDOW_MS = 15 * 60_000;
const MAX_CANCEL_FAILURES = 5;

export interface SosInput {
  shareId?: string;
  /** Keys for contacts' devices the session did not include yet (all contacts follow an SOS). */
  recipients?: RecipientKey[];
  meta?: string;
}

/** The SOS of this person still running (not cancelled, its session not ended), if any. */
export async function runningSos(db: Kysely<Schema>, ownerId: string) {
  return db
    .selectFrom('sos_events')
    .innerJoin('share_sessions', 'share_sessions.id', 'sos_events.share_id')
    .select(['sos_events.id as sosId', 'share_sessions.id as shareId'])
    .where('sos_events.user_id', '=', ownerId)
    .where('sos_events.cancelled_at', 'is', null)
    .where('share_sessions.status', '!=', 'ended')
    .orderBy('sos_events.created_at', 'desc')
    .executeTakeFirst();
}

/**
 * Two SOS of one person at the same moment (her two phones, a retry racing its lost answer):
 * on PostgreSQL, where several instances commit at once, the second waits for the first and
 * then finds it running. SQLite has one writer: its transactions are already one at a time.
 */
async function oneSosAtATime(services: Services, tx: Kysely<Schema>, ownerId: string) {
  if (services.db.dialect !== 'postgres') return;
  const lock = advisoryLockId('havre.sos', ownerId);
  await sql`SELECT pg_advisory_xact_lock(${lock.toString()}::bigint)`.execute(tx);
}

/**
 * Starts an SOS, or answers the one already running: one SOS per person, so that her contacts
 * are alerted once and follow one session, whichever phone pressed the button. Keys sent with
 * the request are added only to the session they were made for.
 */
export async function triggerSos(
  services: Services,
  ownerId: string,
  input: SosInput,
): Promise<{ sosId: string; shareId: string; alreadyRunning: boolean }> {
  const { db, clock } = services;
  const now = clock.now();
  const result = await db.kysely.transaction().execute(async (tx) => {
    await oneSosAtATime(services, tx, ownerId);
    const users = await checkedRecipients(tx, ownerId, input.recipients ?? []);
    const running = await runningSos(tx, ownerId);
    if (running) {
      if (input.shareId === running.shareId)
        await putRecipients(tx, running.shareId, input.recipients ?? [], users, now);
      return { ...running, change: null };
    }
    let session: SessionRow | undefined;
    if (input.shareId) {
      session = await getSession(tx, input.shareId);
      if (!session || session.owner_id !== ownerId) return fail('NOT_FOUND', 'no such session');
      if (session.status === 'ended') return fail('SHARE_ENDED');
      if (input.meta)
        await tx
          .updateTable('share_sessions')
          .set({ meta: input.meta })
          .where('id', '=', session.id)
          .execute();
    } else {
      session = {
        id: randomUUID(),
        owner_id: ownerId,
        mode: 'sos',
        visibility: 'live',
        chosen_visibility: 'live',
        status: 'active',
        meta: input.meta ?? null,
        expected_arrival: null,
        until: null,
        still_minutes: 0,
        created_at: now,
        ends_at: now + SHARING_RULES.sosMs,
        ended_at: null,
        end_reason: null,
        alert_reason: null,
        last_seq: null,
        last_position_at: null,
      };
      await tx.insertInto('share_sessions').values(session).execute();
      await tx
        .insertInto('checkin_timers')
        .values({
          share_id: session.id,
          state: 'idle',
          due_at: null,
          reason: null,
          asked_at: null,
          fired_at: null,
          handled_at: now,
        })
        .execute();
    }
    await putRecipients(tx, session.id, input.recipients ?? [], users, now);
    const sosId = randomUUID();
    await tx
      .insertInto('sos_events')
      .values({
        id: sosId,
        user_id: ownerId,
        share_id: session.id,
        created_at: now,
        cancelled_at: null,
        cancel_method: null,
      })
      .execute();
    // The timer stays quiet during an SOS: the contacts are already alerted.
    await tx
      .updateTable('checkin_timers')
      .set({ state: 'alerted', due_at: null, fired_at: now, handled_at: now })
      .where('share_id', '=', session.id)
      .execute();
    const change = await raiseAlert(services, tx, session, 'sos');
    return { sosId, shareId: session.id, change };
  });
  const { sosId, shareId, change } = result;
  if (change) {
    await announce(services.bus, { t: 'session', share: shareId, ...change });
    services.outbox.kick();
  }
  return { sosId, shareId, alreadyRunning: change === null };
}

export async function setSosPin(services: Services, userId: string, pinHash: string) {
  const now = services.clock.now();
  await services.db.kysely
    .insertInto('sos_pins')
    .values({ user_id: userId, pin_hash: pinHash, updated_at: now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ pin_hash: pinHash, updated_at: now }))
    .execute();
}

/** Wrong confirmations counted on this instance alone, while the shared counters (Redis) are away. */
const localFailures = new WeakMap<Services, MemoryCounters>();

/**
 * The cancel throttle on the shared counters, or on this instance's own while Redis is away.
 * Login fails closed without Redis (503); an SOS cancel must not: a person who is safe would
 * stay in SOS, her contacts alarmed, for as long as the outage lasts. Per instance, a thief
 * gets MAX_CANCEL_FAILURES guesses per instance instead of in all, for the outage only.
 */
async function throttled<T>(services: Services, use: (counters: Counters) => Promise<T>): Promise<T> {
  try {
    return await use(services.counters);
  } catch (error) {
    if ((error as { code?: string }).code !== 'REDIS_UNAVAILABLE') throw error;
    let local = localFailures.get(services);
    if (!local) {
      local = new MemoryCounters(() => services.clock.now());
      localFailures.set(services, local);
    }
    return use(local);
  }
}

/** What confirms a cancel: the SOS PIN, the account password, or one of her passkeys. */
export interface CancelProof {
  pin?: string;
  password?: string;
  passkey?: AuthenticationResponseJSON;
}

/** Checks the PIN, the password or the passkey; wrong ones are throttled per user. */
async function confirm(services: Services, userId: string, proof: CancelProof) {
  const { db } = services;
  const key = `sos-cancel:${userId}`;
  if ((await throttled(services, (c) => c.get(key))) >= MAX_CANCEL_FAILURES)
    fail('TOO_MANY_REQUESTS', 'too many wrong confirmations');
  let ok = false;
  let method: 'pin' | 'password' | 'passkey' = 'password';
  if (proof.passkey !== undefined) {
    method = 'passkey';
    ok = await passkeyConfirms(services, userId, proof.passkey);
  } else if (proof.pin !== undefined) {
    method = 'pin';
    const row = await db.kysely
      .selectFrom('sos_pins')
      .select('pin_hash')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    ok = row !== undefined && (await verifyPassword(row.pin_hash, proof.pin));
  } else if (proof.password !== undefined) {
    ok = await isAccountPassword(db.kysely, userId, proof.password);
  } else {
    fail('VALIDATION', 'give the SOS pin, the account password or a passkey');
  }
  if (!ok) {
    await throttled(services, (c) => c.hit(key, CANCEL_WINDOW_MS));
    fail('INVALID_CREDENTIALS', 'wrong PIN, password or passkey');
  }
  await throttled(services, (c) => c.reset(key));
  return method;
}

export async function cancelSos(
  services: Services,
  userId: string,
  sosId: string,
  proof: CancelProof,
): Promise<{ shareId: string; ended: boolean }> {
  const { db, clock } = services;
  const sos = await db.kysely.selectFrom('sos_events').selectAll().where('id', '=', sosId).executeTakeFirst();
  if (!sos || sos.user_id !== userId) return fail('NOT_FOUND', 'no such SOS');
  if (sos.cancelled_at !== null) return fail('CONFLICT', 'this SOS was already cancelled');
  const method = await confirm(services, userId, proof);
  const now = clock.now();
  const session = await getSession(db.kysely, sos.share_id);
  const claimed = await db.kysely
    .updateTable('sos_events')
    .set({ cancelled_at: now, cancel_method: method })
    .where('id', '=', sosId)
    .where('cancelled_at', 'is', null)
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) return fail('CONFLICT', 'this SOS was already cancelled');
  if (!session || session.status === 'ended') return { shareId: sos.share_id, ended: true };
  if (session.mode === 'sos') {
    // A session opened by the SOS has no other purpose: it ends, and the contacts are told.
    await endShare(services, session.id, 'sos_cancelled', 'sos-cancelled');
    return { shareId: session.id, ended: true };
  }
  const event = await db.kysely.transaction().execute(async (tx) => {
    const timer = restoredTimer(checkinDue({ ...session, expectedArrival: session.expected_arrival }), now);
    await tx
      .updateTable('checkin_timers')
      .set({ state: timer.state, due_at: timer.dueAt, reason: null, handled_at: now })
      .where('share_id', '=', session.id)
      .execute();
    const change = await resolveAlert(services, tx, session, 'sos-cancelled');
    return { t: 'session' as const, share: session.id, ...change };
  });
  await announce(services.bus, event);
  services.outbox.kick();
  return { shareId: session.id, ended: false };
}
