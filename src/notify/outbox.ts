/**
 * The outbox: messages are stored first, then delivered with retries and exponential
 * backoff, so that a channel that fails (SMTP down) loses nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';
import type { Services } from '../server/services.ts';
import type { MailMessage } from './mail-transport.ts';

export interface EmailPayload {
  subject: string;
  text: string;
}

export async function enqueueEmail(
  db: Kysely<Schema>,
  now: number,
  message: MailMessage & { userId: string | null },
): Promise<void> {
  const payload: EmailPayload = { subject: message.subject, text: message.text };
  await db
    .insertInto('outbox')
    .values({
      id: randomUUID(),
      channel: 'email',
      user_id: message.userId,
      recipient: message.to,
      payload: JSON.stringify(payload),
      attempts: 0,
      next_attempt_at: now,
      sent_at: null,
      last_error: null,
      created_at: now,
    })
    .execute();
}

/** Delay before attempt n+1: 5 s, 10 s, 20 s … capped at 15 minutes. Never gives up. */
export function retryDelayMs(attempts: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 15 * 60_000);
}

/** Delivers what is due. Returns the number delivered. */
export async function deliverDue(services: Services, batch = 50): Promise<number> {
  const { db, clock, mail, log } = services;
  const due = await db.kysely
    .selectFrom('outbox')
    .selectAll()
    .where('sent_at', 'is', null)
    .where('next_attempt_at', '<=', clock.now())
    .orderBy('next_attempt_at')
    .limit(batch)
    .execute();
  let delivered = 0;
  for (const row of due) {
    try {
      if (row.channel !== 'email') continue; // other channels register their own senders
      const payload = JSON.parse(row.payload) as EmailPayload;
      await mail.send({ to: row.recipient, subject: payload.subject, text: payload.text });
      await db.kysely.updateTable('outbox').set({ sent_at: clock.now() }).where('id', '=', row.id).execute();
      delivered += 1;
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
      log.warn({ outbox: row.id, attempts, reason }, 'outbox delivery failed, will retry');
    }
  }
  return delivered;
}

/** Polls the outbox; `kick()` delivers right away after an enqueue. */
export function startOutboxWorker(services: Services, intervalMs = 2_000) {
  let running = false;
  let stopped = false;
  const tick = async () => {
    if (running || stopped) return;
    running = true;
    try {
      while ((await deliverDue(services)) > 0 && !stopped) {}
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
