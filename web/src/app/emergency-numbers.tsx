/** The public emergency numbers of France, one tap away: 17 (police) and 114 (SMS, when speaking is not possible). */
import './emergency-numbers.css';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** `more`: further numbers a screen adds after the 17 (the places screen adds 112). */
export function EmergencyNumbers({ intro, more }: { intro: string; more?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="emergency">
      <p>{intro}</p>
      <div className="emergency-actions">
        <a className="button secondary" href="tel:17">
          {t('app.call17')}
        </a>
        {more}
        <a className="button secondary" href="sms:114">
          {t('app.sms114')}
        </a>
      </div>
    </div>
  );
}
