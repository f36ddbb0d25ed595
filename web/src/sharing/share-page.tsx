/** /partager — trip sharing and check-in timers (issue 5 fills it in). */
import { useTranslation } from 'react-i18next';
import { PlannedPage } from '../app/page.tsx';

export default function SharePage() {
  const { t } = useTranslation();
  return (
    <PlannedPage title={t('home.share')}>
      <p>{t('capability.share')}</p>
    </PlannedPage>
  );
}
