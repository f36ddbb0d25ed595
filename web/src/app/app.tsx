/**
 * The routes of the PWA, with French paths (see paths.ts). The home screen ships in the first
 * bundle; every other page is its own chunk, loaded when visited. /sos is not among them: it is
 * its own page (sos.html, web/src/sos/sos-entry.ts), so links to it load it (`reloadDocument`).
 */
import { lazy, useEffect } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { SessionProvider, useSession } from '../accounts/session.tsx';
import HomePage from '../home/home-page.tsx';
import { RequireSignIn, RequireSpace } from './guards.tsx';
import { Layout } from './layout.tsx';
import { PATHS } from './paths.ts';

const LoginPage = lazy(() => import('../accounts/login-page.tsx'));
const SignupPage = lazy(() => import('../accounts/signup-page.tsx'));
const SignupCompletePage = lazy(() => import('../accounts/signup-complete-page.tsx'));
const AccountPage = lazy(() => import('../accounts/account-page.tsx'));
const VerifyEmailPage = lazy(() => import('../accounts/verify-email-page.tsx'));
const ForgotPasswordPage = lazy(() => import('../accounts/forgot-password-page.tsx'));
const NewPasswordPage = lazy(() => import('../accounts/new-password-page.tsx'));
const SharePage = lazy(() => import('../sharing/share-page.tsx'));
const SharingScreen = lazy(() => import('../sharing/sharing-screen.tsx'));
const WatchPage = lazy(() => import('../sharing/watch-page.tsx'));
const ContactsPage = lazy(() => import('../sharing/contacts-page.tsx'));
const AcceptInvitePage = lazy(() => import('../sharing/accept-page.tsx'));
const ReportPage = lazy(() => import('../reports/report-page.tsx'));
const PlacesPage = lazy(() => import('../places/places-page.tsx'));
const DashboardPage = lazy(() => import('../dashboard/dashboard-page.tsx'));
const PartnerPage = lazy(() => import('../partner/partner-page.tsx'));
const PartnerReviewPage = lazy(() => import('../partner/review-page.tsx'));
const AdminPage = lazy(() => import('../admin/admin-page.tsx'));
const NotFoundPage = lazy(() => import('./not-found-page.tsx'));

/** An SOS of mine still running (its page was left for this one): its positions keep going out. */
function ResumeSos() {
  const { me } = useSession();
  useEffect(() => {
    if (me) void import('../sos/sos-run.ts').then(({ adoptRunningSos }) => adoptRunningSos(me.id, true));
  }, [me]);
  return null;
}

export function App() {
  return (
    <SessionProvider>
      <ResumeSos />
      <BrowserRouter>
        <Routes>
          <Route element={<Layout />}>
            <Route index element={<HomePage />} />
            <Route path={PATHS.login} element={<LoginPage />} />
            <Route path={PATHS.signup} element={<SignupPage />} />
            <Route path={PATHS.completeSignup} element={<SignupCompletePage />} />
            <Route
              path={PATHS.account}
              element={
                <RequireSignIn>
                  <AccountPage />
                </RequireSignIn>
              }
            />
            <Route path={PATHS.verifyEmail} element={<VerifyEmailPage />} />
            <Route path={PATHS.forgotPassword} element={<ForgotPasswordPage />} />
            <Route path={PATHS.newPassword} element={<NewPasswordPage />} />
            <Route path={PATHS.share} element={<SharePage />} />
            <Route
              path={`${PATHS.sharing}/:id`}
              element={
                <RequireSignIn>
                  <SharingScreen />
                </RequireSignIn>
              }
            />
            <Route path={`${PATHS.follow}/:id`} element={<WatchPage />} />
            <Route
              path={PATHS.contacts}
              element={
                <RequireSignIn>
                  <ContactsPage />
                </RequireSignIn>
              }
            />
            <Route path={PATHS.acceptInvite} element={<AcceptInvitePage />} />
            <Route path={`${PATHS.report}/*`} element={<ReportPage />} />
            <Route path={PATHS.places} element={<PlacesPage />} />
            <Route
              path={`${PATHS.dashboard}/*`}
              element={
                <RequireSpace space="dashboard">
                  <DashboardPage />
                </RequireSpace>
              }
            />
            <Route
              path={PATHS.partnerReview}
              element={
                <RequireSpace space="dashboard">
                  <PartnerReviewPage />
                </RequireSpace>
              }
            />
            {/* Any signed-in user may register a venue (the server makes them a partner). */}
            <Route
              path={PATHS.partner}
              element={
                <RequireSignIn>
                  <PartnerPage />
                </RequireSignIn>
              }
            />
            <Route
              path={PATHS.admin}
              element={
                <RequireSpace space="admin">
                  <AdminPage />
                </RequireSpace>
              }
            />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </SessionProvider>
  );
}
