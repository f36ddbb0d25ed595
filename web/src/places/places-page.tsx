/** /lieux — safe places and police stations (issue 4 fills it in; the map is loaded lazily there). */
import { useTranslation } from 'react-i18next';
import { PlannedPage } from '../app/page.tsx';

export default function PlacesPage() {
  const { t } = useTranslation();
  return (
    <PlannedPage title={t('home.places')}>
      <p>{t('capability.places')}</p>
    </PlannedPage>
  );
}
