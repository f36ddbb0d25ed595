/**
 * Sign-up is verify-first (src/accounts/signup.ts): a real server writes the e-mail to
 * `$HAVRE_DATA_DIR/mail/`, and the account exists once its link is followed. Tests that need
 * a fresh account on a running server go through the same two steps a person does.
 */
import { waitForLink } from '../e2e/helpers/mail.ts';

/** Signs up `email` on the server at `base` and returns the session token of the new account. */
export async function signUpByMail(
  base: string,
  dataDir: string,
  email: string,
  password: string,
): Promise<string> {
  const post = (path: string, body: object) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const asked = await post('/api/auth/signup', { email, password });
  if (asked.status !== 202) throw new Error(`sign-up answered ${asked.status}`);
  const link = await waitForLink(dataDir, email, '/inscription/confirmer', 20_000);
  const done = await post('/api/auth/signup/complete', { token: new URL(link).hash.slice(1) });
  if (done.status !== 201) throw new Error(`sign-up completion answered ${done.status}`);
  const token = /havre_session=([^;]+)/.exec(done.headers.get('set-cookie') ?? '')?.[1];
  if (!token) throw new Error('no session cookie after sign-up');
  return token;
}
