/** Before sending, in plain words: what Havre keeps of this report, and what it never keeps. */
import { useReportsT } from './i18n.ts';

export function PrivacyBox({ categoryLabel, withText }: { categoryLabel: string; withText: boolean }) {
  const { t } = useReportsT();
  return (
    <section className="report-privacy" aria-labelledby="report-privacy-title">
      <h3 id="report-privacy-title">{t('privacy.title')}</h3>
      <div className="report-privacy-columns">
        <div>
          <h4 className="kept">{t('privacy.kept')}</h4>
          <ul>
            <li>{t('privacy.keptCategory', { category: categoryLabel })}</li>
            <li>{t('privacy.keptCell')}</li>
            <li>{t('privacy.keptHour')}</li>
            <li>{t('privacy.keptTerritory')}</li>
            <li className={withText ? undefined : 'muted'}>{t('privacy.keptText')}</li>
          </ul>
        </div>
        <div>
          <h4 className="not-kept">{t('privacy.notKept')}</h4>
          <ul>
            <li>{t('privacy.notKeptAccount')}</li>
            <li>{t('privacy.notKeptPosition')}</li>
            <li>{t('privacy.notKeptTime')}</li>
            <li>{t('privacy.notKeptDevice')}</li>
          </ul>
        </div>
      </div>
      <p className="report-privacy-city">{t('privacy.city')}</p>
    </section>
  );
}
