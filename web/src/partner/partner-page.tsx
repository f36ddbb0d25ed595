/** /partenaire — the partner portal of safe-place venues (issue 4 fills it in). Guarded: partner. */
import { useTranslation } from 'react-i18next';
import { PlannedPage } from '../app/page.tsx';

export default function PartnerPage() {
  const { t } = useTranslation();
  return (
    <PlannedPage title={t('home.partner')}>
      <p>{t('capability.partner')}</p>
    </PlannedPage>
  );
}
