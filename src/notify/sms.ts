/**
 * SMS through a gateway. Havre ships no carrier integration: `SmsGateway` is the seam a
 * deployment plugs its provider into. The development gateway records each message in the
 * `dev_sms` table so that tests and demos can read what would have been sent.
 * An SMS carries a short text and a link — never a position.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';

export interface SmsMessage {
  /** E.164 number. Personal datum: never logged. */
  to: string;
  text: string;
  userId: string | null;
}

export interface SmsGateway {
  send(message: SmsMessage): Promise<void>;
}

export function devSmsGateway(db: Kysely<Schema>, now: () => number): SmsGateway {
  return {
    async send(message) {
      await db
        .insertInto('dev_sms')
        .values({
          id: randomUUID(),
          user_id: message.userId,
          phone: message.to,
          text: message.text,
          created_at: now(),
        })
        .execute();
    },
  };
}

/** E.164: "+" then 8 to 15 digits. Spaces, dots and dashes are removed first. */
export function normalisePhone(input: string): string | null {
  const compact = input.replace(/[\s.()-]/g, '');
  const french = /^0[1-9]\d{8}$/.test(compact) ? `+33${compact.slice(1)}` : compact;
  return /^\+[1-9]\d{7,14}$/.test(french) ? french : null;
}
