/** The open / closed / unknown line of a place, and its badges, as every places screen shows them. */
import { openLabel, phoneZone } from './format.ts';
import { usePlacesT } from './i18n.ts';

export function OpenStatus({
  place,
  now,
  large = false,
}: {
  place: { openNow: boolean | null; opensAt?: string; closesAt?: string };
  now: number;
  large?: boolean;
}) {
  const { t, i18n } = usePlacesT();
  const { tone, label, detail } = openLabel(t, i18n.language, place, now, phoneZone());
  return (
    <span className={`open-status ${tone}${large ? ' large' : ''}`}>
      <span className={`status-pill ${tone}`}>{label}</span>
      {detail && <span className="status-detail">{detail}</span>}
    </span>
  );
}

export function Badges({ partner, trained }: { partner: boolean; trained: boolean }) {
  const { t } = usePlacesT();
  if (!partner && !trained) return null;
  return (
    <span className="place-badges">
      {trained ? (
        <span className="place-badge trained">{t('badges.trained')}</span>
      ) : (
        partner && <span className="place-badge">{t('badges.partner')}</span>
      )}
    </span>
  );
}
