/**
 * The outbox: messages are stored first, then delivered with retries and exponential
 * backoff, so that a channel that fails (SMTP down, push service unreachable) loses nothing.
 * Each channel (e-mail, Web Push, SMS) has one sender below; a message carries only what its
 * channel needs, and never a position.
 */
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Schema } from '../db/schema.ts';
import type { Services } from '../server/services.ts';
import type { MailMessage } from './mail-transport.ts';
import type { PushMessage } from './push.ts';

export type Channel = Schema['outbox']['channel'];

export interface EmailPayload {
  subject: string;
  text: string;
}
export type PushPayload = PushMessage;
export interface SmsPayload {
  text: string;
}
interface Payloads {
  email: EmailPayload;
  push: PushPayload;
  sms: SmsPayload;
}

export type OutboxMessage = {
  [C in Channel]: {
    channel: C;
    userId: string | null;
    /** email: address · push: push_subscriptions.id · sms: E.164 number */
    recipient: string;
    payload: Payloads[C];
  };
}[Channel];

/** Writes a message; call it inside the transaction of what caused it, then `outbox.kick()`. */
export async function enqueue(db: Kysely<Schema>, now: number, message: OutboxMessage): Promise<void> {
  await db
    .insertInto('outbox')
    .values({
      id: randomUUID(),
      channel: message.channel,
      user_id: message.userId,
      recipient: message.recipient,
      payload: JSON.stringify(message.payload),
      attempts: 0,
      next_attempt_at: now,
      sent_at: null,
      last_error: null,
      created_at: now,
    })
    .execute();
}

export function enqueueEmail(
  db: Kysely<Schema>,
  now: number,
  message: MailMessage & { userId: string | null },
): Promise<void> {
  return enqueue(db, now, {
    channel: 'email',
    userId: message.userId,
    recipient: message.to,
    payload: { subject: message.subject, text: message.text },
  });
}

/**
 * Erasure: messages (sent or not) whose text names a person or one of their sessions — the
 * alerts their contacts received name them by address and link to their session.
 */
export async function forgetMessagesMentioning(db: Kysely<Schema>, needles: string[]): Promise<void> {
  const literal = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
  for (let i = 0; i < needles.length; i += 50) {
    const chunk = needles.slice(i, i + 50);
    await db
      .deleteFrom('outbox')
      .where((eb) =>
        eb.or(
          chunk.map(
            (needle) => sql<boolean>`${eb.ref('payload')} LIKE ${`%${literal(needle)}%`} ESCAPE '\\'`,
          ),
        ),
      )
      .execute();
  }
}

/** Delivered messages are kept this long (support, duplicates), then deleted with what they name. */
export const SENT_RETENTION_MS = 7 * 86_400_000;

export async function purgeSentMessages(services: Services): Promise<number> {
  const result = await services.db.kysely
    .deleteFrom('outbox')
    .where('sent_at', '<', services.clock.now() - SENT_RETENTION_MS)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

type Row = Schema['outbox'];
/** 'gone': the recipient no longer exists (push subscription expired); not retried. */
type Sender = (services: Services, row: Row, payload: unknown) => Promise<'sent' | 'gone'>;

const SENDERS: Record<Channel, Sender> = {
  async email({ mail }, row, payload) {
    const { subject, text } = payload as EmailPayload;
    await mail.send({ to: row.recipient, subject, text });
    return 'sent';
  },
  async push({ db, push }, row, payload) {
    const target = await db.kysely
      .selectFrom('push_subscriptions')
      .select(['endpoint', 'p256dh', 'auth'])
      .where('id', '=', row.recipient)
      .executeTakeFirst();
    if (!target) return 'gone';
    const result = await push.send(target, payload as PushPayload);
    if (result === 'gone')
      await db.kysely.deleteFrom('push_subscriptions').where('id', '=', row.recipient).execute();
    return result;
  },
  async sms({ sms }, row, payload) {
    await sms.send({ to: row.recipient, text: (payload as SmsPayload).text, userId: row.user_id });
    return 'sent';
  },
};

/** Delay before attempt n+1: 5 s, 10 s, 20 s … capped at 15 minutes. Never gives up. */
export function retryDelayMs(attempts: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 15 * 60_000);
}

/** While a message is being sent, other workers (other instances) leave it alone this long. */
const CLAIM_MS = 60_000;

/** Delivers what is due. Returns the number of messages handled. */
export async function deliverDue(services: Services, batch = 50): Promise<number> {
  const { db, clock, log } = services;
  const due = await db.kysely
    .selectFrom('outbox')
    .selectAll()
    .where('sent_at', 'is', null)
    .where('next_attempt_at', '<=', clock.now())
    .orderBy('next_attempt_at')
    .limit(batch)
    .execute();
  let handled = 0;
  for (const row of due) {
    // Claim the row first, so two instances never send the same message twice.
    const claim = await db.kysely
      .updateTable('outbox')
      .set({ next_attempt_at: clock.now() + CLAIM_MS })
      .where('id', '=', row.id)
      .where('sent_at', 'is', null)
      .where('next_attempt_at', '=', row.next_attempt_at)
      .executeTakeFirst();
    if (Number(claim.numUpdatedRows) !== 1) continue;
    try {
      const result = await SENDERS[row.channel](services, row, JSON.parse(row.payload));
      await db.kysely
        .updateTable('outbox')
        .set({ sent_at: clock.now(), last_error: result === 'gone' ? 'gone' : null })
        .where('id', '=', row.id)
        .execute();
      handled += 1;
    } catch (error) {
      const attempts = row.attempts + 1;
      // The error text may name the recipient: keep only its class and code.
      const reason =
        error instanceof Error
          ? `${error.name}${(error as { code?: string }).code ? `:${(error as { code?: string }).code}` : ''}`
          : 'error';
      await db.kysely
        .updateTable('outbox')
        .set({ attempts, last_error: reason, next_attempt_at: clock.now() + retryDelayMs(attempts) })
        .where('id', '=', row.id)
        .execute();
      log.warn(
        { outbox: row.id, channel: row.channel, attempts, reason },
        'outbox delivery failed, will retry',
      );
    }
  }
  return handled;
}

/** Polls the outbox; `kick()` delivers right away after an enqueue. */
export function startOutboxWorker(services: Services, intervalMs = 2_000) {
  let running = false;
  let again = false;
  let stopped = false;
  const tick = async () => {
    if (stopped) return;
    if (running) {
      again = true; // a kick during a run: run once more, so nothing waits for the next poll
      return;
    }
    running = true;
    try {
      do {
        again = false;
        while ((await deliverDue(services)) > 0 && !stopped) {}
      } while (again && !stopped);
    } catch (error) {
      services.log.error({ err: error }, 'outbox worker error');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    kick: () => void tick(),
    async stop() {
      stopped = true;
      clearInterval(timer);
      while (running) await new Promise((r) => setTimeout(r, 10));
    },
  };
}
