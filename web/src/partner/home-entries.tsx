/**
 * The partner entries of the home screen, loaded lazily so the first bundle stays the same:
 * "Lieux partenaires" (venue review) among the spaces of staff and admins, and "Inscrire mon
 * établissement" for any signed-in citizen who is not yet a partner.
 */
import './home-entries.css';
import { Link } from 'react-router';
import { canOpen } from '../accounts/policies.ts';
import { useSession } from '../accounts/session.tsx';
import { PATHS } from '../app/paths.ts';
import { icons } from '../home/icons.tsx';
import { usePartnerT } from './i18n.ts';

export default function PartnerHomeEntries({ slot }: { slot: 'spaces' | 'join' }) {
  const { t } = usePartnerT();
  const { me } = useSession();
  if (!me) return null;
  if (slot === 'spaces') {
    if (!canOpen('dashboard', me)) return null;
    return (
      <li>
        <Link to={PATHS.partnerReview} className="tile">
          <span className="tile-icon">{icons.places}</span>
          <span className="tile-text">
            <span className="tile-title">{t('entry.review')}</span>
            <span className="tile-hint">{t('entry.reviewHint')}</span>
          </span>
        </Link>
      </li>
    );
  }
  // Venues join here; staff and admins review them instead (their own entry above).
  if (me.roles.includes('partner') || canOpen('dashboard', me)) return null;
  return (
    <p className="partner-join">
      {t('entry.applyLead')} <Link to={PATHS.partner}>{t('entry.apply')}</Link>
    </p>
  );
}
