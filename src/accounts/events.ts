/**
 * What accounts announce on the bus so that every instance acts on its own connections (the
 * live relay closes the sockets of a session that ended). Tokens never travel: only hashes.
 */
import type { Bus } from '../bus/bus.ts';

export const ACCOUNTS_TOPIC = 'accounts.events';

export type AccountEvent =
  /** Logout (one session, by its token hash), or every session (password reset). */
  | { t: 'signed-out'; user: string; session: string | null }
  /** Account erased: every session, and whatever others were following of theirs. */
  | { t: 'erased'; user: string };

export const announceSignedOut = (bus: Bus, user: string, session: string | null): Promise<void> =>
  bus.publish(ACCOUNTS_TOPIC, { t: 'signed-out', user, session } satisfies AccountEvent);

export const announceErased = (bus: Bus, user: string): Promise<void> =>
  bus.publish(ACCOUNTS_TOPIC, { t: 'erased', user } satisfies AccountEvent);
