/** /compte — who I am, what I can open, sign out, download my data, delete my account. */
import { startTransition, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { FormAlert, FormStatus } from '../app/form.tsx';
import type { FlashKey } from '../app/layout.tsx';
import { Page } from '../app/page.tsx';
import { PATHS } from '../app/paths.ts';
import { type Submission, useSubmit } from '../app/use-submit.ts';
import { accountsApi, type Me } from './api.ts';
import { DataExportSection } from './data-export-section.tsx';
import { DeleteAccountSection } from './delete-account-section.tsx';
import { useSession } from './session.tsx';

function ProfileSection({ me, onLogout, logout }: { me: Me; onLogout: () => void; logout: Submission }) {
  const { t } = useTranslation();
  const [resent, setResent] = useState(false);
  const form = useSubmit();
  return (
    <section aria-labelledby="account-profile" className="card">
      <h2 id="account-profile">{t('account.profile')}</h2>
      <dl className="facts">
        <dt>{t('fields.email')}</dt>
        <dd className="email">{me.email}</dd>
        <dd>
          <span className={me.emailVerified ? 'pill ok' : 'pill warn'}>
            {me.emailVerified ? t('account.verified') : t('account.unverified')}
          </span>
        </dd>
        <dt>{t('account.access')}</dt>
        {me.roles.map((role) => (
          <dd key={role}>{t(`roles.${role}`)}</dd>
        ))}
        {me.territories.length > 0 && (
          <dd>{t('account.territories', { list: me.territories.join(', ') })}</dd>
        )}
      </dl>
      {!me.emailVerified && (
        <>
          <FormAlert message={form.error} attempt={form.attempt} />
          <FormStatus message={resent ? t('account.resent') : null} />
          <p>
            <button
              type="button"
              className="button secondary"
              aria-disabled={form.busy || undefined}
              onClick={() =>
                form.run(async () => {
                  await accountsApi.resendVerification();
                  setResent(true);
                })
              }
            >
              {t('account.resend')}
            </button>
          </p>
        </>
      )}
      <FormAlert message={logout.error} attempt={logout.attempt} />
      <p>
        <button
          type="button"
          className="button secondary"
          aria-disabled={logout.busy || undefined}
          onClick={onLogout}
        >
          {t('account.logout')}
        </button>
      </p>
    </section>
  );
}

export default function AccountPage() {
  const { t } = useTranslation();
  const { me, signedOut, offline } = useSession();
  const navigate = useNavigate();
  const logout = useSubmit();
  if (!me) return null; // the route is wrapped in RequireSignIn

  // If the server cannot be reached the session stays open there: say so rather than pretend.
  const onLogout = () =>
    logout.run(async () => {
      await accountsApi.logout();
      const flash: FlashKey = 'account.loggedOut';
      startTransition(() => {
        signedOut();
        navigate(PATHS.home, { state: { flash } });
      });
    });

  return (
    <Page title={t('account.title')}>
      {offline && <p className="aside">{t('app.offlineHint')}</p>}
      <ProfileSection me={me} onLogout={onLogout} logout={logout} />
      <DataExportSection />
      <DeleteAccountSection />
    </Page>
  );
}
