/**
 * The frame of every dashboard view: the page heading (focused when the view changes, like
 * `Page` does — but not when only the filters in the address change), the territory switch
 * and the section tabs.
 */
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, useLocation, useNavigate } from 'react-router';
import { isAdminUser, useMe } from './access.ts';
import { useDashboardT } from './i18n.ts';
import { loadTerritoryList, type TerritorySummary } from './territories.ts';

export const DASHBOARD_PATH = '/tableau-de-bord';
export const territoryPath = (code: string, section = '') =>
  `${DASHBOARD_PATH}/${code}${section ? `/${section}` : ''}`;

function useTerritoryList(): TerritorySummary[] {
  const [list, setList] = useState<TerritorySummary[]>([]);
  useEffect(() => {
    let live = true;
    loadTerritoryList().then(
      (all) => live && setList(all),
      () => {},
    );
    return () => {
      live = false;
    };
  }, []);
  return list;
}

export function TerritorySwitch({ current }: { current: string | null }) {
  const { t } = useDashboardT();
  const { t: appT } = useTranslation();
  const me = useMe();
  const id = useId();
  const navigate = useNavigate();
  const { search } = useLocation();
  const all = useTerritoryList();
  const admin = isAdminUser(me);
  const mine = me?.territories ?? [];
  const options = admin ? all : all.filter((territory) => mine.includes(territory.code));
  return (
    <div className="dashboard-territory">
      {!admin && mine.length > 0 && (
        <p className="dashboard-mine">{appT('capability.dashboardTerritories', { list: mine.join(', ') })}</p>
      )}
      {(admin || mine.length > 1) && (
        <div className="field inline-field">
          <label htmlFor={id}>{t('territory.label')}</label>
          <select
            id={id}
            value={current ?? ''}
            onChange={(event) => {
              if (event.target.value) navigate(`${territoryPath(event.target.value)}${search}`);
            }}
          >
            <option value="">{t('territory.choose')}</option>
            {options.map((territory) => (
              <option key={territory.code} value={territory.code}>
                {territory.name} ({territory.code})
              </option>
            ))}
          </select>
        </div>
      )}
    </div>
  );
}

function Tabs({ code }: { code: string | null }) {
  const { t } = useDashboardT();
  const me = useMe();
  const { search } = useLocation();
  const tabs: { to: string; label: string; end?: boolean }[] = [];
  if (code) {
    tabs.push({ to: territoryPath(code), label: t('tabs.overview'), end: true });
    tabs.push({ to: territoryPath(code, 'temoignages'), label: t('tabs.descriptions') });
    tabs.push({ to: territoryPath(code, 'actions'), label: t('tabs.actions') });
  }
  if (isAdminUser(me)) tabs.push({ to: `${DASHBOARD_PATH}/moderation`, label: t('tabs.moderation') });
  if (tabs.length === 0) return null;
  return (
    <nav className="dashboard-tabs" aria-label={t('tabs.label')}>
      <ul>
        {tabs.map((tab) => (
          <li key={tab.to}>
            <NavLink to={`${tab.to}${search}`} end={tab.end}>
              {tab.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function Frame({
  code,
  subtitle,
  children,
}: {
  code: string | null;
  /** The territory's name, or the section's. */
  subtitle?: string;
  children: ReactNode;
}) {
  const { t } = useDashboardT();
  const { t: appT } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  const { pathname, key } = useLocation();
  const title = t('title');

  useEffect(() => {
    document.title = `${subtitle ? `${subtitle} · ` : ''}${title} · ${appT('app.name')}`;
  }, [subtitle, title, appT]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: on a change of view, not of filters
  useEffect(() => {
    if (key !== 'default') heading.current?.focus();
  }, [pathname]);

  return (
    <div className="dashboard">
      <div className="dashboard-head">
        <div>
          <h1 ref={heading} tabIndex={-1} className="page-title">
            {title}
          </h1>
          {subtitle && <p className="dashboard-subtitle">{subtitle}</p>}
        </div>
        <TerritorySwitch current={code} />
      </div>
      <Tabs code={code} />
      {children}
    </div>
  );
}
