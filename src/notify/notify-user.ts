/**
 * One notice to one user on the channels asked for: e-mail to the account address, a Web
 * Push to each of the user's browsers, an SMS to the number the user registered. Everything
 * goes through the outbox, in the caller's transaction. A notice carries a link, never a
 * position: the contact's own device decrypts what the link shows.
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { asLocale, type Locale } from './messages.ts';
import { enqueue } from './outbox.ts';

export interface Notice {
  subject: string;
  /** E-mail body, without the link (appended). */
  text: string;
  /** One line for a push notification or an SMS. */
  short: string;
  url: string;
  /** Push tag: a newer notice with the same tag replaces the older one on the device. */
  tag?: string;
}

export interface Channels {
  email?: boolean;
  push?: boolean;
  sms?: boolean;
}

/** Returns how many messages were queued. */
export async function notifyUser(
  db: Kysely<Schema>,
  now: number,
  userId: string,
  notice: (locale: Locale) => Notice,
  channels: Channels = { email: true, push: true },
): Promise<number> {
  const user = await db
    .selectFrom('users')
    .select(['email', 'locale'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) return 0;
  const n = notice(asLocale(user.locale));
  let queued = 0;
  if (channels.email) {
    await enqueue(db, now, {
      channel: 'email',
      userId,
      recipient: user.email,
      payload: { subject: n.subject, text: `${n.text}\n\n${n.url}\n` },
    });
    queued += 1;
  }
  if (channels.push) {
    const subscriptions = await db
      .selectFrom('push_subscriptions')
      .select('id')
      .where('user_id', '=', userId)
      .execute();
    for (const s of subscriptions) {
      await enqueue(db, now, {
        channel: 'push',
        userId,
        recipient: s.id,
        payload: { title: n.subject, body: n.short, url: n.url, ...(n.tag ? { tag: n.tag } : {}) },
      });
      queued += 1;
    }
  }
  if (channels.sms) {
    const phone = await db
      .selectFrom('phone_numbers')
      .select('phone')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (phone) {
      await enqueue(db, now, {
        channel: 'sms',
        userId,
        recipient: phone.phone,
        payload: { text: `${n.short} ${n.url}` },
      });
      queued += 1;
    }
  }
  return queued;
}
