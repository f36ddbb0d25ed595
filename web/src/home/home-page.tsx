/**
 * The home screen: SOS first and largest, then, signed in, the sessions running now (mine and
 * those I follow), then the everyday capabilities (with my trusted contacts, signed in), then
 * the spaces a user's roles open (municipal dashboard, partner portal, administration).
 */
import './home.css';
import { lazy, type ReactNode, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { canOpen, type Space } from '../accounts/policies.ts';
import { useSession } from '../accounts/session.tsx';
import { EmergencyNumbers } from '../app/emergency-numbers.tsx';
import { Page } from '../app/page.tsx';
import { PATHS } from '../app/paths.ts';
import { icons } from './icons.tsx';

// Partner entries (venue review, "Inscrire mon établissement") and the sessions running now load
// lazily: the first bundle stays the same.
const PartnerEntries = lazy(() => import('../partner/home-entries.tsx'));
const Running = lazy(() => import('../sharing/home-running.tsx'));

function Tile({ to, icon, title, hint }: { to: string; icon: ReactNode; title: string; hint: string }) {
  return (
    <li>
      <Link to={to} className="tile">
        <span className="tile-icon">{icon}</span>
        <span className="tile-text">
          <span className="tile-title">{title}</span>
          <span className="tile-hint">{hint}</span>
        </span>
      </Link>
    </li>
  );
}

const SPACES: { space: Space; to: string }[] = [
  { space: 'dashboard', to: PATHS.dashboard },
  { space: 'partner', to: PATHS.partner },
  { space: 'admin', to: PATHS.admin },
];

export default function HomePage() {
  const { t } = useTranslation();
  const { me, status } = useSession();
  const spaces = SPACES.filter(({ space }) => canOpen(space, me));

  return (
    <Page title={t('home.title')} hideTitle>
      <Link reloadDocument to={PATHS.sos} className="sos-button">
        <span className="sos-label">{t('home.sos')}</span>
        <span className="sos-hint">{t('home.sosHint')}</span>
      </Link>
      <EmergencyNumbers intro={t('app.emergency')} />
      {me && (
        <Suspense fallback={null}>
          <Running />
        </Suspense>
      )}

      <section aria-labelledby="home-everyday">
        <h2 id="home-everyday" className="section-title">
          {t('home.everyday')}
        </h2>
        <ul className="tiles">
          <Tile to={PATHS.share} icon={icons.share} title={t('home.share')} hint={t('home.shareHint')} />
          <Tile to={PATHS.report} icon={icons.report} title={t('home.report')} hint={t('home.reportHint')} />
          <Tile to={PATHS.places} icon={icons.places} title={t('home.places')} hint={t('home.placesHint')} />
          {me && (
            <Tile
              to={PATHS.contacts}
              icon={icons.contacts}
              title={t('home.contacts')}
              hint={t('home.contactsHint')}
            />
          )}
        </ul>
        {me && (
          <Suspense fallback={null}>
            <PartnerEntries slot="join" />
          </Suspense>
        )}
      </section>

      {spaces.length > 0 && (
        <section aria-labelledby="home-spaces">
          <h2 id="home-spaces" className="section-title">
            {t('home.spaces')}
          </h2>
          <ul className="tiles">
            {spaces.map(({ space, to }) => (
              <Tile
                key={space}
                to={to}
                icon={icons[space]}
                title={t(`home.${space}`)}
                hint={t(`home.${space}Hint`)}
              />
            ))}
            <Suspense fallback={null}>
              <PartnerEntries slot="spaces" />
            </Suspense>
          </ul>
        </section>
      )}

      {status === 'ready' && !me && (
        <section aria-labelledby="home-join" className="card join">
          <h2 id="home-join">{t('home.joinTitle')}</h2>
          <p>{t('home.joinBody')}</p>
          <p className="actions">
            <Link to={PATHS.signup} className="button primary">
              {t('home.joinSignup')}
            </Link>
            <Link to={PATHS.login} className="button secondary">
              {t('home.joinLogin')}
            </Link>
          </p>
        </section>
      )}
    </Page>
  );
}
