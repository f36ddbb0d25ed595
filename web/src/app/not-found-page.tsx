import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Page } from './page.tsx';
import { PATHS } from './paths.ts';

export default function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('notFound.title')}>
      <p>{t('notFound.body')}</p>
      <p>
        <Link to={PATHS.home}>{t('app.backHome')}</Link>
      </p>
    </Page>
  );
}
