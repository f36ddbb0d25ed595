/** /sos — the SOS capability (issue 5 fills it in: alert trusted contacts with the encrypted position). */
import { useTranslation } from 'react-i18next';
import { EmergencyNumbers } from '../app/emergency-numbers.tsx';
import { PlannedPage } from '../app/page.tsx';

export default function SosPage() {
  const { t } = useTranslation();
  return (
    <PlannedPage title={t('home.sos')}>
      <p>{t('capability.sos')}</p>
      <EmergencyNumbers intro={t('capability.sosMeanwhile')} />
    </PlannedPage>
  );
}
