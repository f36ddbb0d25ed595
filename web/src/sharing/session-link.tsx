/** One running session in a list: its page, its mode, when it is due, whether it alerted. */
import { Link } from 'react-router';
import type { ShareView } from './api.ts';
import { formatTime } from './format.ts';
import { useLng, useT } from './i18n.ts';

export function SessionLink({ share, to, label }: { share: ShareView; to: string; label: string }) {
  const t = useT();
  const lng = useLng();
  const due = share.expectedArrival ?? share.until;
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
