/**
 * /signaler — anonymous reports: the three-tap report, "near me now" and the phone's own
 * list of its reports. Everything here is one lazy chunk; the map is a further one.
 */
import './i18n.ts';
import './controls.css';
import './reports.css';
import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import { Link, NavLink, Route, Routes } from 'react-router';
import { useSession } from '../accounts/session.tsx';
import { Loading } from '../app/loading.tsx';
import { Page } from '../app/page.tsx';
import { loginWithReturn, PATHS, signupWithReturn } from '../app/paths.ts';
import { HistoryView } from './history-view.tsx';
import { useReportsT } from './i18n.ts';
import { startOutbox } from './outbox.ts';
import { ReportFlow } from './report-flow.tsx';

const NearbyView = lazy(() => import('./nearby-view.tsx'));

export const REPORT_PATHS = {
  flow: PATHS.report,
  nearby: `${PATHS.report}/pres-de-moi`,
  history: `${PATHS.report}/mes-signalements`,
} as const;

function SubNav() {
  const { t } = useReportsT();
  return (
    <nav className="report-nav" aria-label={t('nav.label')}>
      <ul>
        <li>
          <NavLink to={REPORT_PATHS.flow} end>
            {t('nav.flow')}
          </NavLink>
        </li>
        <li>
          <NavLink to={REPORT_PATHS.nearby}>{t('nav.nearby')}</NavLink>
        </li>
        <li>
          <NavLink to={REPORT_PATHS.history}>{t('nav.history')}</NavLink>
        </li>
      </ul>
    </nav>
  );
}

/**
 * Reports need a session (abuse control); the report itself is never linked to it. Opened
 * offline, the app cannot check the session: the report can still be made and kept on the
 * phone (`offlineOk`), and goes once the network and a session are back.
 */
function SignedIn({
  path,
  offlineOk = false,
  children,
}: {
  path: string;
  offlineOk?: boolean;
  children: ReactNode;
}) {
  const { t } = useReportsT();
  const { status, me } = useSession();
  if (status === 'loading') return <Loading />;
  if (me || (offlineOk && navigator.onLine === false)) return children;
  return (
    <div className="card">
      <p>{t('signIn.body')}</p>
      <p className="actions">
        <Link className="button primary" to={loginWithReturn(path)}>
          {t('signIn.button')}
        </Link>
        <Link className="button secondary" to={signupWithReturn(path)}>
          {t('signIn.signup')}
        </Link>
      </p>
    </div>
  );
}

function View({
  title,
  path,
  signIn,
  children,
}: {
  title: string;
  path: string;
  signIn: 'always' | 'online' | 'never';
  children: ReactNode;
}) {
  return (
    <Page title={title}>
      <SubNav />
      {signIn === 'never' ? (
        children
      ) : (
        <SignedIn path={path} offlineOk={signIn === 'online'}>
          {children}
        </SignedIn>
      )}
    </Page>
  );
}

export default function ReportPage() {
  const { t } = useReportsT();
  useEffect(() => {
    // Reports kept on this phone go out as soon as the network and a session allow.
    startOutbox();
  }, []);
  return (
    <Routes>
      <Route
        index
        element={
          <View title={t('title')} path={REPORT_PATHS.flow} signIn="online">
            <p className="report-intro">{t('intro')}</p>
            <ReportFlow />
          </View>
        }
      />
      <Route
        path="pres-de-moi"
        element={
          <View title={t('nearby.title')} path={REPORT_PATHS.nearby} signIn="always">
            <Suspense fallback={<Loading />}>
              <NearbyView />
            </Suspense>
          </View>
        }
      />
      <Route
        path="mes-signalements"
        element={
          <View title={t('history.title')} path={REPORT_PATHS.history} signIn="never">
            <HistoryView />
          </View>
        }
      />
    </Routes>
  );
}
