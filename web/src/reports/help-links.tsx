/** Where to get help after a report: emergency numbers, the 3919, and how to file a complaint. */
import { useReportsT } from './i18n.ts';

export const COMPLAINT_URL = 'https://www.pre-plainte-en-ligne.gouv.fr';
export const RIGHTS_URL = 'https://www.service-public.fr/particuliers/vosdroits/N31138';

export function HelpLinks() {
  const { t } = useReportsT();
  return (
    <section className="card report-help" aria-labelledby="report-help-title">
      <h2 id="report-help-title">{t('help.title')}</h2>
      <h3>{t('help.emergency')}</h3>
      <ul className="report-help-calls">
        <li>
          <a className="button secondary" href="tel:17">
            {t('help.call17')}
          </a>
        </li>
        <li>
          <a className="button secondary" href="tel:112">
            {t('help.call112')}
          </a>
        </li>
        <li>
          <a className="button secondary" href="sms:114">
            {t('help.sms114')}
          </a>
        </li>
        <li>
          <a className="button secondary" href="tel:3919">
            {t('help.call3919')}
          </a>
        </li>
      </ul>
      <h3>{t('help.complaintTitle')}</h3>
      <ul className="report-help-links">
        <li>
          <a href={COMPLAINT_URL} target="_blank" rel="noopener noreferrer">
            {t('help.complaint')}
            <span className="visually-hidden"> ({t('help.external')})</span>
          </a>
        </li>
        <li>
          <a href={RIGHTS_URL} target="_blank" rel="noopener noreferrer">
            {t('help.rights')}
            <span className="visually-hidden"> ({t('help.external')})</span>
          </a>
        </li>
      </ul>
    </section>
  );
}
