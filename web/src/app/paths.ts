/** Every page of the app, with its French URL. Links and the router use these names only. */
export const PATHS = {
  home: '/',
  login: '/connexion',
  signup: '/inscription',
  completeSignup: '/inscription/confirmer', // e-mailed link, token in the fragment (src/accounts/signup.ts)
  account: '/compte',
  verifyEmail: '/compte/verifier', // e-mailed link, token in the fragment (see src/accounts/emails.ts)
  forgotPassword: '/compte/mot-de-passe-oublie',
  newPassword: '/compte/nouveau-mot-de-passe', // e-mailed link, token in the fragment
  sos: '/sos',
  share: '/partager',
  sharing: '/partage', // + /:id, the sharer's screen (link of the check-in question)
  follow: '/suivre', // + /:id, a contact or a guest watching (#g=…&k=… for a guest)
  contacts: '/contacts',
  acceptInvite: '/contacts/accepter', // e-mailed/shared link, token in the fragment
  report: '/signaler',
  places: '/lieux',
  dashboard: '/tableau-de-bord',
  partner: '/partenaire',
  partnerReview: '/tableau-de-bord/lieux', // staff review of venues (web/src/partner/review-page.tsx)
  admin: '/admin',
} as const;

/** Where to go after signing in: only a path of this app (never `//evil.example`). */
export function safeReturnPath(raw: string | null): string {
  if (!raw?.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return PATHS.home;
  return raw;
}

export const loginWithReturn = (path: string) => `${PATHS.login}?suite=${encodeURIComponent(path)}`;

/** Sign-up, then this page once the account exists (even in another tab: accounts/after-signup.ts). */
export const signupWithReturn = (path: string) => `${PATHS.signup}?suite=${encodeURIComponent(path)}`;
