/** /compte/verifier#TOKEN — the link of the confirmation e-mail. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorMessage } from '../api/error-message.ts';
import { Page } from '../app/page.tsx';
import { PATHS } from '../app/paths.ts';
import { accountsApi } from './api.ts';
import { clearFragment, readFragmentToken } from './fragment-token.ts';
import { useSession } from './session.tsx';

type State = { step: 'working' } | { step: 'done' } | { step: 'failed'; message: string };

/** A token works once: one request per token, even if the page mounts again. */
const verifications = new Map<string, Promise<void>>();

export default function VerifyEmailPage() {
  const { t } = useTranslation();
  const { me, update } = useSession();
  const [state, setState] = useState<State>({ step: 'working' });

  useEffect(() => {
    let current = true;
    const token = readFragmentToken();
    clearFragment();
    if (!token) {
      setState({ step: 'failed', message: t('verify.missing') });
      return;
    }
    if (!verifications.has(token)) verifications.set(token, accountsApi.verifyEmail(token));
    verifications.get(token)?.then(
      () => current && setState({ step: 'done' }),
      (error: unknown) => current && setState({ step: 'failed', message: errorMessage(t, error) }),
    );
    return () => {
      current = false;
    };
  }, [t]);

  useEffect(() => {
    if (state.step === 'done' && me && !me.emailVerified) update({ ...me, emailVerified: true });
  }, [state.step, me, update]);

  return (
    <Page title={t('verify.title')}>
      <div role="status">
        {state.step === 'working' && <p>{t('verify.working')}</p>}
        {state.step === 'done' && <p className="form-status">{t('verify.done')}</p>}
      </div>
      <div role="alert">{state.step === 'failed' && <p className="form-alert">{state.message}</p>}</div>
      {state.step !== 'working' && (
        <p>
          <Link to={me ? PATHS.account : PATHS.home}>{me ? t('app.account') : t('app.backHome')}</Link>
        </p>
      )}
    </Page>
  );
}
