/** /admin — administration: territories, staff accounts, venue verification, moderation. Guarded: admin. */
import { useTranslation } from 'react-i18next';
import { PlannedPage } from '../app/page.tsx';

export default function AdminPage() {
  const { t } = useTranslation();
  return (
    <PlannedPage title={t('home.admin')}>
      <p>{t('capability.admin')}</p>
    </PlannedPage>
  );
}
