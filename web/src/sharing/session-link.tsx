/**
 * One running session in a list (the sharing page, the home screen): its page — mine to manage,
 * or someone's to follow — its mode, when it is due, whether it alerted.
 */
import { Link } from 'react-router';
import { PATHS } from '../app/paths.ts';
import type { ShareView } from './api.ts';
import { formatTime } from './format.ts';
import { useLng, useT } from './i18n.ts';

export function SessionLink({ share, whose }: { share: ShareView; whose: 'mine' | 'followed' }) {
  const t = useT();
  const lng = useLng();
  const due = share.expectedArrival ?? share.until;
  const [to, label] =
    whose === 'mine'
      ? [`${PATHS.sharing}/${share.id}`, share.mode === 'sos' ? t('share.sosRunning') : t('share.resume')]
      : [`${PATHS.follow}/${share.id}`, t('share.follow', { email: share.owner?.email ?? '' })];
  return (
    <li className={`session-item${share.status === 'alerted' ? ' alerted' : ''}`}>
      <Link to={to} className="session-link">
        <span className="session-title">{label}</span>
        <span className="session-hint">
          {t(`modes.${share.mode as 'trip'}`)}
          {due && ` · ${t('share.dueAt', { time: formatTime(due, lng) })}`}
          {share.status === 'alerted' && ` · ${t('share.alerted')}`}
        </span>
      </Link>
    </li>
  );
}
