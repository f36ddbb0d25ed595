/** /signaler — anonymous reports (issue 3 fills it in). */
import { useTranslation } from 'react-i18next';
import { PlannedPage } from '../app/page.tsx';

export default function ReportPage() {
  const { t } = useTranslation();
  return (
    <PlannedPage title={t('home.report')}>
      <p>{t('capability.report')}</p>
    </PlannedPage>
  );
}
