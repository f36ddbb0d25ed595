/**
 * Page guards. The server refuses every API call a user may not make; these guards give a
 * clear page instead of a broken one, and keep a space's code from loading for users outside it.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { canOpen, type Space } from '../accounts/policies.ts';
import { useSession } from '../accounts/session.tsx';
import { Loading } from './loading.tsx';
import { Page } from './page.tsx';
import { loginWithReturn, PATHS } from './paths.ts';

function SignInNeeded() {
  const { t } = useTranslation();
  const location = useLocation();
  return (
    <Page title={t('guard.signInTitle')}>
      <p>{t('guard.signInBody')}</p>
      <p>
        <Link className="button primary" to={loginWithReturn(location.pathname)}>
          {t('app.signIn')}
        </Link>
      </p>
    </Page>
  );
}

export function RequireSignIn({ children }: { children: ReactNode }) {
  const { status, me } = useSession();
  if (status === 'loading') return <Loading />;
  if (!me) return <SignInNeeded />;
  return children;
}

export function RequireSpace({ space, children }: { space: Space; children: ReactNode }) {
  const { t } = useTranslation();
  const { status, me } = useSession();
  if (status === 'loading') return <Loading />;
  if (!me) return <SignInNeeded />;
  if (!canOpen(space, me)) {
    return (
      <Page title={t('guard.reservedTitle')}>
        <p>{t(`guard.${space}`)}</p>
        <p>{t('guard.askAdmin')}</p>
        <p>
          <Link to={PATHS.home}>{t('app.backHome')}</Link>
        </p>
      </Page>
    );
  }
  return children;
}
