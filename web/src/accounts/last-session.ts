/**
 * The last session this device saw (GET /api/me), so that a signed-in person does not look
 * signed out while the network is down: the header keeps "My account", the spaces of her roles
 * stay open, the pages that work offline know who she is. Only what the page shows, never a
 * secret: the session itself stays in its HttpOnly cookie. Forgotten at sign-out and on a 401.
 */

import { ApiError } from '../api/client.ts';
import { readStored, removeStored, writeStored } from '../app/device-storage.ts';
import type { Me, Role } from './api.ts';

const KEY = 'havre.lastSession';
const ROLES: readonly Role[] = ['citizen', 'partner', 'staff', 'admin'];

export function rememberSession(me: Me): void {
  const kept: Me = {
    id: me.id,
    email: me.email,
    roles: me.roles,
    territories: me.territories,
    emailVerified: me.emailVerified,
    locale: me.locale,
  };
  writeStored(KEY, kept); // refused: offline, the person looks signed out, as before
}

export const forgetSession = (): void => removeStored(KEY);

const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/** The session kept for this user (the signed-in hint's id), or null: unknown, another user's or unreadable. */
export function lastSession(userId: string | null): Me | null {
  if (!userId) return null;
  const kept = readStored(KEY) as Partial<Me> | null;
  if (
    kept?.id === userId &&
    typeof kept.email === 'string' &&
    isStrings(kept.roles) &&
    kept.roles.every((role) => ROLES.includes(role as Role)) &&
    isStrings(kept.territories) &&
    typeof kept.emailVerified === 'boolean' &&
    (kept.locale === 'fr' || kept.locale === 'en')
  )
    return kept as Me;
  return null;
}

/** What to make of the answer to GET /api/me. */
export type SessionCheck =
  /** The server answered: this is who is signed in. */
  | { kind: 'signed-in'; me: Me }
  /** 401: the session is gone (expired, signed out elsewhere, password reset). */
  | { kind: 'signed-out' }
  /** No answer (network down, server away, a captive portal's page): the last session known, if any. */
  | { kind: 'offline'; me: Me | null };

export function afterSessionCheck(
  answer: { me: Me } | { error: unknown },
  lastKnown: Me | null,
): SessionCheck {
  if ('me' in answer) return { kind: 'signed-in', me: answer.me };
  if (answer.error instanceof ApiError && answer.error.status === 401) return { kind: 'signed-out' };
  return { kind: 'offline', me: lastKnown };
}

/**
 * Whether to ask GET /api/me now: at load (a session was opened on this device), and while the
 * server could not be reached — not while the browser knows it is offline (a request bound to
 * fail; the `online` event asks again).
 */
export function shouldAskServer(state: {
  status: 'loading' | 'ready';
  offline: boolean;
  browserOnline: boolean;
}): boolean {
  if (state.status === 'loading') return true;
  return state.offline && state.browserOnline;
}
