/**
 * The check-in timer, kept on the server so that a dead phone still alerts. Each step is
 * claimed with one conditional UPDATE … RETURNING (the same statement on SQLite and
 * PostgreSQL): among several schedulers racing on one database, exactly one wins a step.
 *
 *   pending (due passed) ──claim──▶ asking (sharer asked; due = now + grace)
 *   idle|pending ──"still" from the sharer──▶ asking
 *   asking (grace passed) ──claim──▶ alerted (contacts alerted, check-in mode gets access)
 *   asking|alerted ──"I'm OK" / new time──▶ pending|idle
 *
 * The consequences of a step (notices, session status) are written in one transaction that
 * also sets `handled_at`; a step claimed by an instance that died before that transaction
 * is picked up again after a minute.
 */
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { notifyUser } from '../notify/notify-user.ts';
import { fail } from '../server/errors.ts';
import type { Services } from '../server/services.ts';
import { announce, type SharingEvent } from './events.ts';
import { raiseAlert, resolveAlert, sharerUrl } from './lifecycle.ts';
import { sharingNotice } from './notices.ts';
import { checkinDue, restoredTimer, SHARING_RULES, stillnessAsks } from './rules.ts';
import { getSession, type SessionRow } from './sessions-store.ts';

type K = Kysely<Schema>;
const RECLAIM_AFTER_MS = 60_000;

/** Asks the sharer, on every channel they have (the socket too, through the event). */
async function askSharer(services: Services, tx: K, session: SessionRow, reason: 'overdue' | 'still') {
  const notice = sharingNotice(
    `question-${reason}`,
    '',
    sharerUrl(services, session.id),
    `havre-ask-${session.id}`,
    services.config.checkinGraceMs / 60_000,
  );
  await notifyUser(tx, services.clock.now(), session.owner_id, notice, { email: true, push: true });
}

/** Writes the consequences of a claimed step; returns the event to announce after commit. */
async function consequences(
  services: Services,
  shareId: string,
  state: 'asking' | 'alerted',
  reason: 'overdue' | 'still',
): Promise<SharingEvent | null> {
  const now = services.clock.now();
  return services.db.kysely.transaction().execute(async (tx) => {
    const session = await getSession(tx, shareId);
    let event: SharingEvent | null = null;
    if (session && session.status !== 'ended') {
      if (state === 'asking') {
        await askSharer(services, tx, session, reason);
        event = { t: 'question', share: shareId, reason };
      } else if (session.status === 'active') {
        const change = await raiseAlert(services, tx, session, reason);
        event = { t: 'session', share: shareId, ...change };
      }
    }
    await tx.updateTable('checkin_timers').set({ handled_at: now }).where('share_id', '=', shareId).execute();
    return event;
  });
}

async function handle(
  services: Services,
  claimed: { share_id: string; state: string; reason: string | null }[],
) {
  const done: string[] = [];
  for (const row of claimed) {
    const event = await consequences(
      services,
      row.share_id,
      row.state as 'asking' | 'alerted',
      (row.reason ?? 'overdue') as 'overdue' | 'still',
    );
    if (event) await announce(services.bus, event);
    done.push(row.share_id);
  }
  if (done.length > 0) services.outbox.kick();
  return done;
}

type TimerRow = ExpressionBuilder<Schema, 'checkin_timers'>;

/** A timer whose question or alert is due: `pending` → ask, `asking` → alert. */
const stepDue = (now: number) => (eb: TimerRow) =>
  eb.and([eb('state', 'in', ['pending', 'asking']), eb('due_at', '<=', now)]);

/** A step claimed more than RECLAIM_AFTER_MS ago and never handled (its instance died). */
const stepLeftUnhandled = (now: number) => (eb: TimerRow) =>
  eb.and([
    eb('state', 'in', ['asking', 'alerted']),
    eb('handled_at', 'is', null),
    eb('fired_at', '<=', now - RECLAIM_AFTER_MS),
  ]);

/**
 * Whether any timer has a step to take (the three claims below, as one read). Most passes
 * find nothing: the claims are then not run at all, since on SQLite each UPDATE, even one
 * that changes no row, takes the database's write lock on the main thread, and waits there
 * while the trail worker holds it.
 */
async function anyStepDue(k: K, now: number): Promise<boolean> {
  const row = await k
    .selectFrom('checkin_timers')
    .select('share_id')
    .where((eb) => eb.or([stepDue(now)(eb), stepLeftUnhandled(now)(eb)]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** One pass of the scheduler: asks, alerts, and recovers steps left unhandled. */
export async function fireDueTimers(services: Services): Promise<{ asked: string[]; alerted: string[] }> {
  const k = services.db.kysely;
  const now = services.clock.now();
  if (!(await anyStepDue(k, now))) return { asked: [], alerted: [] };
  const ask = await k
    .updateTable('checkin_timers')
    .set({
      state: 'asking',
      reason: 'overdue',
      asked_at: now,
      due_at: now + services.config.checkinGraceMs,
      fired_at: now,
      handled_at: null,
    })
    .where('state', '=', 'pending')
    .where('due_at', '<=', now)
    .returning(['share_id', 'state', 'reason'])
    .execute();
  const alert = await k
    .updateTable('checkin_timers')
    .set({ state: 'alerted', due_at: null, fired_at: now, handled_at: null })
    .where('state', '=', 'asking')
    .where('due_at', '<=', now)
    .returning(['share_id', 'state', 'reason'])
    .execute();
  const stale = await k
    .updateTable('checkin_timers')
    .set({ fired_at: now })
    .where(stepLeftUnhandled(now))
    .returning(['share_id', 'state', 'reason'])
    .execute();
  const asked = await handle(services, [...ask, ...stale.filter((r) => r.state === 'asking')]);
  const alerted = await handle(services, [...alert, ...stale.filter((r) => r.state === 'alerted')]);
  return { asked, alerted };
}

/** The sharer's browser reports `minutes` without movement. Returns whether the question started. */
export async function reportStillness(
  services: Services,
  shareId: string,
  minutes: number,
): Promise<boolean> {
  const session = await getSession(services.db.kysely, shareId);
  if (session?.status !== 'active' || !stillnessAsks(minutes, session.still_minutes)) return false;
  const now = services.clock.now();
  const claimed = await services.db.kysely
    .updateTable('checkin_timers')
    .set({
      state: 'asking',
      reason: 'still',
      asked_at: now,
      due_at: now + services.config.checkinGraceMs,
      fired_at: now,
      handled_at: null,
    })
    .where('share_id', '=', shareId)
    .where('state', 'in', ['idle', 'pending'])
    .returning(['share_id', 'state', 'reason'])
    .execute();
  await handle(services, claimed);
  return claimed.length > 0;
}

/**
 * "I'm OK", optionally with a new time to check in. Answers the question, or ends an alert
 * (contacts told, check-in mode back to nothing delivered). An SOS is cancelled elsewhere,
 * with a confirmation.
 */
export async function answerOk(
  services: Services,
  session: SessionRow,
  newDue: number | null,
): Promise<SessionRow> {
  if (session.status === 'ended') fail('SHARE_ENDED');
  if (session.alert_reason === 'sos') fail('CONFLICT', 'an SOS is cancelled with POST /api/sos/:id/cancel');
  const now = services.clock.now();
  if (newDue !== null && newDue <= now) fail('VALIDATION', 'the time must be in the future');
  const times = {
    mode: session.mode,
    expectedArrival: session.mode === 'trip' && newDue !== null ? newDue : session.expected_arrival,
    until: session.mode !== 'trip' && newDue !== null ? newDue : session.until,
  };
  const event = await services.db.kysely.transaction().execute(async (tx) => {
    await tx
      .updateTable('share_sessions')
      .set({
        expected_arrival: times.expectedArrival,
        until: times.until,
        ends_at:
          newDue === null ? session.ends_at : Math.max(session.ends_at, newDue + SHARING_RULES.afterDueMs),
      })
      .where('id', '=', session.id)
      .execute();
    const timer = restoredTimer(checkinDue(times), now);
    await tx
      .updateTable('checkin_timers')
      .set({ state: timer.state, due_at: timer.dueAt, reason: null, handled_at: now })
      .where('share_id', '=', session.id)
      .execute();
    if (session.status !== 'alerted') return null;
    const change = await resolveAlert(services, tx, session, 'resolved');
    return { t: 'session', share: session.id, ...change } satisfies SharingEvent;
  });
  if (event) {
    await announce(services.bus, event);
    services.outbox.kick();
  }
  // Every open page learns the answer: the sharer's other screens drop the question, and the
  // contacts see a new expected arrival at once rather than at their next reload.
  await announce(services.bus, {
    t: 'times',
    share: session.id,
    expectedArrival: times.expectedArrival,
    until: times.until,
    moved: times.expectedArrival !== session.expected_arrival || times.until !== session.until,
  });
  return (await getSession(services.db.kysely, session.id))!;
}
