/**
 * /inscription/confirmer#TOKEN[&suite=PAGE] — the link of the sign-up e-mail: creates the account
 * (its address is confirmed by the same stroke), signs in and goes home — or to the page that
 * sent the person to sign up, carried by the link itself whatever the browser (after-signup.ts).
 */
import { startTransition, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { errorMessage } from '../api/error-message.ts';
import { Page } from '../app/page.tsx';
import { PATHS, safeReturnPath } from '../app/paths.ts';
import { accountsApi, type Me } from './api.ts';
import { clearFragment, readFragmentParam, readFragmentToken } from './fragment-token.ts';
import { useSession } from './session.tsx';

/** A token works once: one request per token, even if the page mounts again. */
const completions = new Map<string, Promise<Me>>();

export default function SignupCompletePage() {
  const { t } = useTranslation();
  const { signedIn } = useSession();
  const navigate = useNavigate();
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    const token = readFragmentToken();
    const suite = readFragmentParam('suite');
    clearFragment();
    if (!token) {
      setFailure(t('signup.completeMissing'));
      return;
    }
    if (!completions.has(token)) completions.set(token, accountsApi.completeSignup(token));
    completions.get(token)?.then(
      (user) => {
        if (!current) return;
        const next = suite ? safeReturnPath(suite) : PATHS.home;
        startTransition(() => {
          signedIn(user);
          navigate(next, { replace: true, state: { flash: 'signup.created' } });
        });
      },
      (error: unknown) => current && setFailure(errorMessage(t, error)),
    );
    return () => {
      current = false;
    };
  }, [t, signedIn, navigate]);

  return (
    <Page title={t('signup.completeTitle')}>
      <div role="status">{!failure && <p>{t('signup.completing')}</p>}</div>
      <div role="alert">{failure && <p className="form-alert">{failure}</p>}</div>
      {failure && (
        <p>
          <Link to={PATHS.signup}>{t('signup.restart')}</Link>
        </p>
      )}
    </Page>
  );
}
