/**
 * /admin — the platform's administration (guarded: admin): territories (list, import, delete),
 * municipal teams' access, and links to the checks waiting for a decision (held reports, partner
 * places), which live in the dashboard. The same operations exist in the CLI (`havre territory
 * import`, `havre staff grant`).
 */
import './admin.css';
import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { FormAlert } from '../app/form.tsx';
import { Loading } from '../app/loading.tsx';
import { Page } from '../app/page.tsx';
import { PATHS } from '../app/paths.ts';
import { adminApi, type TerritorySummary } from './api.ts';
import { adminErrorMessage, useAdminT } from './i18n.ts';
import { StaffSection } from './staff-section.tsx';
import { TerritoriesSection } from './territories-section.tsx';

export default function AdminPage() {
  const { t } = useAdminT();
  const { t: appT } = useTranslation();
  const id = useId();
  const [territories, setTerritories] = useState<TerritorySummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      const answer = await adminApi.territories();
      setTerritories([...answer.territories].sort((a, b) => a.code.localeCompare(b.code)));
      setError(null);
    } catch (caught) {
      setError(adminErrorMessage(t, appT, caught));
    }
  }, [t, appT]);
  useEffect(() => {
    void reload();
  }, [reload]);

  return (
    <Page title={appT('home.admin')}>
      <p>{t('intro')}</p>
      <FormAlert message={error} attempt={0} />
      {territories === null ? (
        !error && <Loading />
      ) : (
        <div className="admin-sections">
          <TerritoriesSection territories={territories} reload={reload} />
          <StaffSection territories={territories} />
          <section className="card" aria-labelledby={`${id}-checks`}>
            <h2 id={`${id}-checks`}>{t('checks.title')}</h2>
            <ul className="admin-links">
              <li>
                <Link to={`${PATHS.dashboard}/moderation`}>{t('checks.moderation')}</Link>
                <p className="aside">{t('checks.moderationHint')}</p>
              </li>
              <li>
                <Link to={PATHS.partnerReview}>{t('checks.places')}</Link>
                <p className="aside">{t('checks.placesHint')}</p>
              </li>
            </ul>
          </section>
        </div>
      )}
    </Page>
  );
}
