/**
 * Where to go once a new account exists. Sign-up is verify-first: the account is created by the
 * link of an e-mail, which often opens in another tab or window than the page that sent the
 * person to sign up (`/inscription?suite=…`, e.g. an invitation waiting for an account). That
 * page is kept on this device (app/kept-for-a-while.ts) as long as the link lives, and taken
 * once by the page of the link.
 */
import { forgetKept, keepForAWhile, readKept } from '../app/kept-for-a-while.ts';
import { safeReturnPath } from '../app/paths.ts';

const KEY = 'havre.afterSignup';
const KEEP_MS = 48 * 60 * 60_000; // SIGNUP_LINK_TTL_MS (src/accounts/signup.ts)

/** At each sign-up request: the page to continue with, or none (an older one must not linger). */
export function continueAfterSignup(path: string | null): void {
  if (path) keepForAWhile(KEY, safeReturnPath(path), KEEP_MS);
  else forgetKept(KEY);
}

/** The page to continue with, if one is waiting (forgotten once taken). */
export function takeAfterSignup(): string | null {
  const path = readKept(KEY);
  forgetKept(KEY);
  return path === null ? null : safeReturnPath(path);
}
