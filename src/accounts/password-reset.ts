/**
 * Setting a new password with the link of a reset e-mail. The person proved she holds the
 * mailbox, so everything tied to the old password ends: the link and every other reset link,
 * every session (on every instance: sockets close too), and the sign-in throttling of the
 * account (a stalker's failed guesses must not keep her out of her new password). She then
 * receives "your password was changed", with what to do if it was not her.
 */
import type { Services } from '../server/services.ts';
import { sendPasswordChanged } from './emails.ts';
import { announceSignedOut } from './events.ts';
import { hashPassword } from './passwords.ts';
import { sessionsChanged } from './session-cache.ts';
import { consumeEmailToken, deleteUserSessions, spendResetLinks } from './store.ts';
import { clearLoginFailures } from './throttle.ts';

/** The user whose password changed, or null when the link is unknown, used or expired. */
export async function confirmPasswordReset(
  services: Services,
  input: { token: string; password: string },
): Promise<string | null> {
  const { db, clock, bus, counters, config } = services;
  // Hashed before the transaction: argon2 takes tens of milliseconds, a write lock should not.
  const passwordHash = await hashPassword(input.password);
  const now = clock.now();
  const changed = await db.kysely.transaction().execute(async (tx) => {
    const userId = await consumeEmailToken(tx, input.token, 'reset', now);
    if (!userId) return null;
    const user = await tx
      .updateTable('users')
      .set({ password_hash: passwordHash })
      .where('id', '=', userId)
      .returning('email')
      .executeTakeFirstOrThrow();
    await spendResetLinks(tx, userId, now);
    await deleteUserSessions(tx, userId);
    return { userId, email: user.email };
  });
  if (!changed) return null;
  await announceSignedOut(bus, changed.userId, null);
  await sessionsChanged(services, { userId: changed.userId });
  await clearLoginFailures(counters, config.secret, changed.email, now);
  await sendPasswordChanged(services, changed.userId);
  return changed.userId;
}
