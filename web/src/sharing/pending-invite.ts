/**
 * An invitation link opened before signing in: its token waits on this device (not in the URL)
 * while the person signs in, or signs up — then it also rides in the sign-up e-mail's link
 * (accounts/after-signup.ts), which may open in another browser. Kept where every tab finds it
 * (app/kept-for-a-while.ts), and forgotten once used, refused by the server, or after the sign-up
 * link's own lifetime (48 h, SIGNUP_LINK_TTL_MS in src/accounts/signup.ts): a secret that lets
 * its holder follow someone must not linger.
 */
import { clearFragment, readFragmentToken } from '../accounts/fragment-token.ts';
import { forgetKept, keepForAWhile, readKept } from '../app/kept-for-a-while.ts';

const KEY = 'havre.pendingInvite';
const KEEP_MS = 48 * 60 * 60_000;

export const pendingInvite = (): string | null => readKept(KEY);

export const keepInvite = (token: string): void => keepForAWhile(KEY, token, KEEP_MS);

export const dropInvite = (): void => forgetKept(KEY);

/**
 * The invitation token of the link open in this tab, kept on the device and taken out of the
 * address bar — now, and again each time another invitation link opens in the same tab (only
 * the fragment changes: the page does not load again, and the first token would stay in use).
 * Returns the function that stops listening.
 */
export function followInviteLinks(onToken: (token: string) => void): () => void {
  let last: string | null = null;
  const read = () => {
    const token = readFragmentToken();
    clearFragment();
    if (!token || token === last) return;
    last = token;
    keepInvite(token);
    onToken(token);
  };
  read();
  window.addEventListener('hashchange', read);
  return () => window.removeEventListener('hashchange', read);
}
