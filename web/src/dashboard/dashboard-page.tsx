/**
 * /tableau-de-bord — the municipal dashboard (desktop first; staff of a territory and admins):
 *   /tableau-de-bord                    the only territory of a staff account, or the picker
 *   /tableau-de-bord/:code              map, figures, live feed, charts, exports
 *   /tableau-de-bord/:code/temoignages  consented descriptions
 *   /tableau-de-bord/:code/actions      city actions editor
 *   /tableau-de-bord/moderation         held reports (admins)
 * The whole dashboard is one lazy chunk; MapLibre is another, loaded by the map only.
 */
import '../reports/i18n.ts';
import './i18n.ts';
import '../reports/controls.css';
// Views first: dashboard.css ends with the narrow-screen overrides of both.
import './dashboard-views.css';
import './dashboard.css';
import { lazy, type ReactNode, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes, useParams } from 'react-router';
import { Loading } from '../app/loading.tsx';
import { PATHS } from '../app/paths.ts';
import { canSeeTerritory, isAdminUser, useMe } from './access.ts';
import { Frame } from './frame.tsx';
import { useDashboardT } from './i18n.ts';
import { Overview } from './overview.tsx';
import { loadTerritory, type TerritoryFeature } from './territories.ts';

const DescriptionsView = lazy(() => import('./descriptions-view.tsx'));
const ActionsView = lazy(() => import('./actions-view.tsx'));
const ModerationView = lazy(() => import('./moderation-view.tsx'));

function Reserved({ code }: { code: string }) {
  const { t } = useDashboardT();
  const { t: appT } = useTranslation();
  return (
    <Frame code={null} subtitle={code}>
      <section className="card dashboard-reserved" aria-labelledby="reserved-title">
        <h2 id="reserved-title">{t('territory.reservedTitle')}</h2>
        <p>{t('territory.reserved')}</p>
        <p>
          <Link to={PATHS.home}>{appT('app.backHome')}</Link>
        </p>
      </section>
    </Frame>
  );
}

/** The territory of the address, once the account may see it and its boundary is loaded. */
function TerritoryView({
  code,
  section,
}: {
  code: string;
  section: 'overview' | 'descriptions' | 'actions';
}) {
  const { t } = useDashboardT();
  const me = useMe();
  const allowed = canSeeTerritory(me, code);
  const [territory, setTerritory] = useState<TerritoryFeature | null>(null);
  const [missing, setMissing] = useState(false);

  useEffect(() => {
    if (!allowed) return;
    loadTerritory(code).then(setTerritory, () => setMissing(true));
  }, [code, allowed]);

  if (!allowed) return <Reserved code={code} />;
  if (missing) {
    return (
      <Frame code={code}>
        <p className="card">{t('territory.unknown')}</p>
      </Frame>
    );
  }
  if (!territory) return <Loading />;
  const name = territory.properties.name;
  let body: ReactNode;
  if (section === 'overview') body = <Overview territory={territory} />;
  else if (section === 'descriptions') body = <DescriptionsView code={code} />;
  else body = <ActionsView territory={territory} />;
  return (
    <Frame code={code} subtitle={name}>
      <Suspense fallback={<Loading />}>{body}</Suspense>
    </Frame>
  );
}

function CodeRoute({ section }: { section: 'overview' | 'descriptions' | 'actions' }) {
  const { code = '' } = useParams();
  return <TerritoryView key={code} code={code.toUpperCase()} section={section} />;
}

/** A staff account with one territory lands on it; others choose. */
function Home() {
  const { t } = useDashboardT();
  const me = useMe();
  const mine = me?.territories ?? [];
  const admin = isAdminUser(me);
  if (!admin && mine.length === 1) return <TerritoryView code={mine[0]} section="overview" />;
  // Her last access was withdrawn, or its territory deleted: "choose" with nothing to choose from.
  const none = !admin && mine.length === 0;
  return (
    <Frame code={null}>
      <section className="card dashboard-choose" aria-labelledby="choose-title">
        <h2 id="choose-title">{t(none ? 'territory.noneTitle' : 'territory.choose')}</h2>
        <p>{t(none ? 'territory.none' : 'territory.chooseHint')}</p>
      </section>
    </Frame>
  );
}

function Moderation() {
  const { t } = useDashboardT();
  const me = useMe();
  return (
    <Frame code={null} subtitle={t('moderation.title')}>
      {isAdminUser(me) ? (
        <Suspense fallback={<Loading />}>
          <ModerationView />
        </Suspense>
      ) : (
        <p className="card">{t('moderation.adminOnly')}</p>
      )}
    </Frame>
  );
}

export default function DashboardPage() {
  return (
    <Routes>
      <Route index element={<Home />} />
      <Route path="moderation" element={<Moderation />} />
      <Route path=":code" element={<CodeRoute section="overview" />} />
      <Route path=":code/temoignages" element={<CodeRoute section="descriptions" />} />
      <Route path=":code/actions" element={<CodeRoute section="actions" />} />
    </Routes>
  );
}
