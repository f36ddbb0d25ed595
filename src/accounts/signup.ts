/**
 * Verify-first sign-up. `POST /api/auth/signup` answers 202 whatever the address: a new
 * address receives a link that creates the account (`completeSignup`); an address that already
 * has an account receives "someone tried to sign up with your address". Both paths hash the
 * password (argon2id, the dominant cost) and write one e-mail, so neither the answer nor its
 * timing tells a stalker whether their target has an account.
 */
import { createHmac } from 'node:crypto';
import { asLocale, completeSignupMessage, signupAttemptMessage } from '../notify/messages.ts';
import { enqueueEmail } from '../notify/outbox.ts';
import type { Services } from '../server/services.ts';
import { hashPassword } from './passwords.ts';
import { createUser, findUserByEmail, normaliseEmail } from './store.ts';
import { hashToken, newToken } from './tokens.ts';

const HOUR = 3_600_000;
export const SIGNUP_LINK_TTL_MS = 48 * HOUR;
/** Sign-up e-mails to one address per hour: beyond, nothing is sent (the answer stays 202). */
export const SIGNUP_MAILS_PER_ADDRESS_PER_HOUR = 5;

export async function startSignup(
  services: Services,
  input: { email: string; password: string; locale: 'fr' | 'en'; next?: string },
): Promise<void> {
  const { db, clock, config, counters } = services;
  const k = db.kysely;
  const email = normaliseEmail(input.email);
  const [existing, passwordHash] = await Promise.all([
    findUserByEmail(k, email),
    hashPassword(input.password),
  ]);
  // Keyed by an HMAC, like login throttling: no address sits in memory or Redis.
  const key = `signup:mail:${createHmac('sha256', config.secret).update(email).digest('base64url')}`;
  if ((await counters.hit(key, HOUR)) > SIGNUP_MAILS_PER_ADDRESS_PER_HOUR) return;
  const now = clock.now();
  if (existing) {
    // The page to continue with rides in the login link too (a fragment: it may hold a secret).
    const suite = input.next ? `#suite=${encodeURIComponent(input.next)}` : '';
    const message = signupAttemptMessage(asLocale(existing.locale), {
      login: `${config.publicUrl}/connexion${suite}`,
      reset: `${config.publicUrl}/compte/mot-de-passe-oublie`,
    });
    await enqueueEmail(k, now, { userId: existing.id, to: email, ...message });
  } else {
    const token = newToken();
    await k.transaction().execute(async (tx) => {
      await tx
        .insertInto('pending_signups')
        .values({
          token_hash: hashToken(token),
          email,
          password_hash: passwordHash,
          locale: input.locale,
          expires_at: now + SIGNUP_LINK_TTL_MS,
        })
        .execute();
      // The link carries the token in the fragment, which browsers never send to a server, and
      // the page to continue with (`&suite=`, e.g. an invitation with its own token): the link
      // often opens in another browser than the one that asked, which kept none of it.
      const suite = input.next ? `&suite=${encodeURIComponent(input.next)}` : '';
      const link = `${config.publicUrl}/inscription/confirmer#${token}${suite}`;
      await enqueueEmail(tx, now, { userId: null, to: email, ...completeSignupMessage(input.locale, link) });
    });
  }
  services.outbox.kick();
}

/**
 * Opens the link of a sign-up e-mail: creates the account (its address is thereby verified)
 * and returns its id, or null when the link is unknown, expired, already used, or the address
 * got an account meanwhile (another pending sign-up of the same address was completed first).
 */
export async function completeSignup(services: Services, token: string): Promise<string | null> {
  const k = services.db.kysely;
  const now = services.clock.now();
  const pending = await k
    .deleteFrom('pending_signups')
    .where('token_hash', '=', hashToken(token))
    .returningAll()
    .executeTakeFirst();
  if (!pending || pending.expires_at <= now) return null;
  try {
    const id = await createUser(k, {
      email: pending.email,
      passwordHash: pending.password_hash,
      locale: pending.locale,
      now,
      verified: true,
    });
    // The other links sent to this address are now useless; so are the addresses they hold.
    await k.deleteFrom('pending_signups').where('email', '=', pending.email).execute();
    return id;
  } catch (error) {
    if (await findUserByEmail(k, pending.email)) return null; // unique address: lost the race
    throw error;
  }
}

/** Retention: a pending sign-up whose link has expired holds an address and a hash for nothing. */
export async function purgeExpiredSignups(services: Services): Promise<number> {
  const result = await services.db.kysely
    .deleteFrom('pending_signups')
    .where('expires_at', '<=', services.clock.now())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
