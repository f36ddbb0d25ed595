/**
 * The nearest places, nearest first: one large row per place (the whole row opens its card),
 * with a call button beside it when the place has a phone.
 */
import { Link } from 'react-router';
import type { NearestPlace } from './api.ts';
import { formatDistance, walkDuration } from './format.ts';
import { usePlacesT } from './i18n.ts';
import { Badges, OpenStatus } from './place-status.tsx';

export function PlaceList({
  places,
  now,
  cardHref,
}: {
  places: NearestPlace[];
  now: number;
  cardHref: (id: string) => string;
}) {
  const { t, i18n } = usePlacesT();
  return (
    <ol className="place-list">
      {places.map((p) => (
        <li key={p.id} className="place-row">
          <Link to={cardHref(p.id)} className="place-link" data-place-id={p.id}>
            <span className="place-name">{p.name}</span>
            <span className="place-meta">
              {t(`kinds.${p.kind}`)} ·{' '}
              {t('list.distance', {
                distance: formatDistance(p.distanceM, i18n.language),
                walk: walkDuration(p.walkMinutes, i18n.language),
              })}
            </span>
            <OpenStatus place={p} now={now} />
            <Badges partner={p.partner} trained={p.trained} />
          </Link>
          {p.phone && (
            <a
              className="place-call"
              href={`tel:${p.phone.replace(/[^+0-9]/g, '')}`}
              aria-label={`${t('card.call')} ${p.name}`}
            >
              <svg width="24" height="24" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path
                  fill="currentColor"
                  d="M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2c.3-.3.7-.4 1-.2 1.1.4 2.3.6 3.6.6.6 0 1 .4 1 1V20c0 .6-.4 1-1 1A17 17 0 0 1 3 4c0-.6.4-1 1-1h3.5c.6 0 1 .4 1 1 0 1.3.2 2.5.6 3.6.1.3 0 .7-.2 1l-2.3 2.2Z"
                />
              </svg>
            </a>
          )}
        </li>
      ))}
    </ol>
  );
}
