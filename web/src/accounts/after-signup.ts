/**
 * Where to go once a new account exists. Sign-up is verify-first: the account is created by the
 * link of an e-mail, which often opens in another tab, or another browser (a mail app's own),
 * than the page that sent the person to sign up (`/inscription?suite=…`, e.g. an invitation
 * waiting for an account). So that page travels in the e-mail's link: sent with the sign-up
 * request, put by the server in the link's fragment (`&suite=`, src/accounts/signup.ts), and
 * read by the link's page (signup-complete-page.tsx).
 */
import { PATHS, safeReturnPath } from '../app/paths.ts';
import { pendingInvite } from '../sharing/pending-invite.ts';

/**
 * The page the e-mail's link continues with. The invitation page's token waits on this device
 * (sharing/pending-invite.ts), not in its URL: it rides in the link's fragment, so that the
 * invitation can still be accepted where the link opens (the e-mail goes to the person invited).
 */
export function emailedSuite(path: string | null): string | undefined {
  if (!path) return undefined;
  const page = safeReturnPath(path);
  const invite = page === PATHS.acceptInvite ? pendingInvite() : null;
  return invite ? `${page}#${encodeURIComponent(invite)}` : page;
}
