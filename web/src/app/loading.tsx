import { useTranslation } from 'react-i18next';

/** Shown while a page's code or the session loads. */
export function Loading() {
  const { t } = useTranslation();
  return (
    <p role="status" className="loading">
      {t('app.loading')}
    </p>
  );
}
