/** The frame around every page: skip link, header, main landmark with its live status line, footer. */
import { Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import { useSession } from '../accounts/session.tsx';
import { LanguageSwitch } from '../i18n/language-switch.tsx';
import { ErrorBoundary } from './error-boundary.tsx';
import { Loading } from './loading.tsx';
import { PATHS } from './paths.ts';

/** Messages a page can leave for the next one (`navigate(path, { state: { flash } })`). */
export type FlashKey = 'signup.created' | 'login.signedIn' | 'account.loggedOut' | 'account.deleted';

function Header() {
  const { t } = useTranslation();
  const { me, status, offline } = useSession();
  return (
    <header className="site-header">
      <div className="site-header-inner">
        <Link to={PATHS.home} className="brand" aria-label={t('app.homeLink')}>
          <img src="/favicon.svg" alt="" width="32" height="32" />
          <span>{t('app.name')}</span>
        </Link>
        <nav aria-label={t('app.mainNav')}>
          <ul>
            {/* Nothing until the session is known: no "sign in" flashing for a signed-in user. */}
            <li hidden={status === 'loading'}>
              {me ? (
                <NavLink to={PATHS.account}>{t('app.account')}</NavLink>
              ) : (
                <NavLink to={PATHS.login}>{t('app.signIn')}</NavLink>
              )}
            </li>
            {/* Signed in, the network down: the account is still hers, the page says why nothing updates. */}
            <li hidden={!me || !offline} style={{ alignSelf: 'center' }}>
              <span className="pill warn" title={t('app.offlineHint')}>
                {t('app.offline')}
              </span>
            </li>
          </ul>
        </nav>
        <LanguageSwitch />
      </div>
    </header>
  );
}

function Footer() {
  const { t } = useTranslation();
  return (
    <footer className="site-footer">
      <p>
        {t('app.footer')} {t('app.footerPrivacy')}
      </p>
    </footer>
  );
}

export function Layout() {
  const { t } = useTranslation();
  const location = useLocation();
  const flash = (location.state as { flash?: FlashKey } | null)?.flash;

  useEffect(() => {
    // Shown once: a reload of this page must not repeat it.
    if (flash) window.history.replaceState({ ...window.history.state, usr: null }, '');
  }, [flash]);

  return (
    <>
      <a
        className="skip-link"
        href="#contenu"
        onClick={(event) => {
          event.preventDefault();
          document.getElementById('contenu')?.focus();
        }}
      >
        {t('app.skipLink')}
      </a>
      <Header />
      <main id="contenu" tabIndex={-1}>
        <div role="status" className="flash-region">
          {flash && <p className="flash">{t(flash)}</p>}
        </div>
        <ErrorBoundary key={location.pathname}>
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </ErrorBoundary>
      </main>
      <Footer />
    </>
  );
}
