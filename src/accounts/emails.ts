/** The account e-mails: written to the outbox, delivered with retries. */

import { asLocale, resetPasswordMessage, verifyEmailMessage } from '../notify/messages.ts';
import { enqueueEmail } from '../notify/outbox.ts';
import type { Services } from '../server/services.ts';
import { passwordChangedMessage } from './password-changed-message.ts';
import { createEmailToken } from './store.ts';

const HOUR = 3_600_000;

async function recipient(services: Services, userId: string) {
  return services.db.kysely
    .selectFrom('users')
    .select(['email', 'locale'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
}

/** Links carry the token in the fragment, which browsers never send to a server (or its logs). */
export async function sendVerification(services: Services, userId: string) {
  const { db, clock, config } = services;
  const user = await recipient(services, userId);
  const token = await createEmailToken(db.kysely, userId, 'verify', clock.now(), 48 * HOUR);
  const message = verifyEmailMessage(asLocale(user.locale), `${config.publicUrl}/compte/verifier#${token}`);
  await enqueueEmail(db.kysely, clock.now(), { userId, to: user.email, ...message });
  services.outbox.kick();
}

export async function sendPasswordReset(services: Services, userId: string) {
  const { db, clock, config } = services;
  const user = await recipient(services, userId);
  const token = await createEmailToken(db.kysely, userId, 'reset', clock.now(), HOUR);
  const message = resetPasswordMessage(
    asLocale(user.locale),
    `${config.publicUrl}/compte/nouveau-mot-de-passe#${token}`,
  );
  await enqueueEmail(db.kysely, clock.now(), { userId, to: user.email, ...message });
  services.outbox.kick();
}

/** After a password change: the owner hears of it, whoever made it. */
export async function sendPasswordChanged(services: Services, userId: string) {
  const { db, clock, config } = services;
  const user = await recipient(services, userId);
  const message = passwordChangedMessage(asLocale(user.locale), {
    reset: `${config.publicUrl}/compte/mot-de-passe-oublie`,
    contacts: `${config.publicUrl}/contacts`,
  });
  await enqueueEmail(db.kysely, clock.now(), { userId, to: user.email, ...message });
  services.outbox.kick();
}
