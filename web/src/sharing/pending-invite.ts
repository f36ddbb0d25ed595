/**
 * An invitation link opened before signing in: its token waits on this device (not in the URL)
 * while the person signs in, or signs up — then it also rides in the sign-up e-mail's link
 * (accounts/after-signup.ts), which may open in another browser. Kept where every tab finds it
 * (app/kept-for-a-while.ts), and forgotten once used, refused by the server, or after the sign-up
 * link's own lifetime (48 h, SIGNUP_LINK_TTL_MS in src/accounts/signup.ts): a secret that lets
 * its holder follow someone must not linger.
 */
import { forgetKept, keepForAWhile, readKept } from '../app/kept-for-a-while.ts';

const KEY = 'havre.pendingInvite';
const KEEP_MS = 48 * 60 * 60_000;

export const pendingInvite = (): string | null => readKept(KEY);

export const keepInvite = (token: string): void => keepForAWhile(KEY, token, KEEP_MS);

export const dropInvite = (): void => forgetKept(KEY);
