/** /tableau-de-bord — the municipal dashboard (issue 3 fills it in). Guarded: staff or admin. */
import { useTranslation } from 'react-i18next';
import { useSession } from '../accounts/session.tsx';
import { PlannedPage } from '../app/page.tsx';

export default function DashboardPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const territories = me?.territories ?? [];
  return (
    <PlannedPage title={t('home.dashboard')}>
      <p>{t('capability.dashboard')}</p>
      {territories.length > 0 && (
        <p>{t('capability.dashboardTerritories', { list: territories.join(', ') })}</p>
      )}
    </PlannedPage>
  );
}
