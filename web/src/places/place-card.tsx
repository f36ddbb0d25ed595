/**
 * A place's card: open now and when that changes (in the place's time zone), the week's
 * hours, the trained-staff badge, call, and directions through the phone's maps app.
 * Offline, the card is rebuilt from the saved copy with the same code as the server.
 */
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { ApiError, CLIENT_ERRORS } from '../api/client.ts';
import { type PlaceCard, placesApi, type WeekDay } from './api.ts';
import { dateAndTime, longDate, phoneZone, zoneLabel, zoneOffsetMinutes } from './format.ts';
import { usePlacesT } from './i18n.ts';
import { offlineCard } from './offline-search.ts';
import { allAreas } from './offline-store.ts';
import { OpenStatus } from './place-status.tsx';

type CardState =
  | { status: 'loading' }
  | { status: 'ready'; card: PlaceCard; offline: boolean }
  | { status: 'missing' };

function useCard(id: string): CardState {
  const [state, setState] = useState<CardState>({ status: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    const offline = async () => {
      for (const area of await allAreas()) {
        const card = offlineCard(area, id);
        if (card) return !controller.signal.aborted && setState({ status: 'ready', card, offline: true });
      }
      if (!controller.signal.aborted) setState({ status: 'missing' });
    };
    placesApi.card(id, controller.signal).then(
      (card) => setState({ status: 'ready', card, offline: false }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.code === CLIENT_ERRORS.network) void offline();
        else setState({ status: 'missing' });
      },
    );
    return () => controller.abort();
  }, [id]);
  return state;
}

/** geo: opens the phone's maps app (Android, most Linux phones); OpenStreetMap is the fallback. */
export function directionLinks(card: { lat: number; lon: number; name: string }) {
  const at = `${card.lat.toFixed(6)},${card.lon.toFixed(6)}`;
  return {
    geo: `geo:${at}?q=${at}(${encodeURIComponent(card.name)})`,
    osm: `https://www.openstreetmap.org/directions?to=${at}`,
  };
}

const DAY_INDEX: Record<WeekDay['day'], number> = { mo: 0, tu: 1, we: 2, th: 3, fr: 4, sa: 5, su: 6 };

function todayIn(timeZone: string, now: number): WeekDay['day'] {
  const name = new Intl.DateTimeFormat('en-GB', { weekday: 'short', timeZone }).format(now);
  return name.slice(0, 2).toLowerCase() as WeekDay['day'];
}

/**
 * "Horaires exprimés en heure de La Réunion (UTC+4).": said when the phone's clock reads another
 * time than the place's now (a phone in Brussels reads Paris hours as they are).
 */
function HoursZone({ timeZone, now }: { timeZone: string; now: number }) {
  const { t, i18n } = usePlacesT();
  if (zoneOffsetMinutes(phoneZone(), now) === zoneOffsetMinutes(timeZone, now)) return null;
  const { name, offset } = zoneLabel(timeZone, i18n.language, now);
  return (
    <p className="aside">
      {name ? t('card.hoursZone', { zone: name, offset }) : t('card.hoursOffset', { offset })}
    </p>
  );
}

function WeekHours({ card, now }: { card: PlaceCard; now: number }) {
  const { t } = usePlacesT();
  if (card.hoursStatus === 'unknown' || card.week.length === 0) {
    return <p className="hours-unknown">{t('card.hoursUnknown')}</p>;
  }
  const today = todayIn(card.timeZone, now);
  const days = [...card.week].sort((a, b) => DAY_INDEX[a.day] - DAY_INDEX[b.day]);
  return (
    <>
      {card.hoursStatus === 'variable' && <p className="aside">{t('card.hoursVariable')}</p>}
      <table className="week-hours">
        <tbody>
          {days.map((d) => (
            <tr key={d.day} className={d.day === today ? 'today' : undefined}>
              <th scope="row">
                {t(`card.days.${d.day}`)}
                {d.day === today && <span className="visually-hidden"> ({t('card.today')})</span>}
              </th>
              <td>
                {d.intervals.length === 0
                  ? t('card.closedDay')
                  : d.intervals.map((i) => (
                      <span key={`${i.from}-${i.to}`} className="interval">
                        {i.from === '00:00' && i.to === '24:00' ? t('card.allDay') : `${i.from} – ${i.to}`}
                        {i.state === 'unknown' && ` (${t('card.toConfirm')})`}
                      </span>
                    ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <HoursZone timeZone={card.timeZone} now={now} />
    </>
  );
}

export function PlaceCardView({
  id,
  backHref,
  now,
  onName,
}: {
  id: string;
  backHref: string;
  now: number;
  /** The place's name once the card is known (null before, or when it is not found). */
  onName: (name: string | null) => void;
}) {
  const { t, i18n } = usePlacesT();
  const state = useCard(id);
  const heading = useRef<HTMLHeadingElement>(null);
  const ready = state.status === 'ready';
  useEffect(() => {
    if (ready) heading.current?.focus();
  }, [ready]);
  const name = state.status === 'ready' ? state.card.name : null;
  useEffect(() => {
    onName(name);
    return () => onName(null);
  }, [name, onName]);
  const locale = i18n.language;

  return (
    <div className="place-card-view">
      <p>
        <Link to={backHref} className="back-link">
          ← {t('card.back')}
        </Link>
      </p>
      {state.status === 'loading' && (
        <p role="status" className="loading">
          {t('card.loading')}
        </p>
      )}
      {state.status === 'missing' && <p className="card">{t('card.notFound')}</p>}
      {state.status === 'ready' && state.offline && <p className="notice warn">{t('offline.card')}</p>}
      {state.status === 'ready' && (
        <article className="card place-card" aria-labelledby="place-card-title">
          <h2 id="place-card-title" ref={heading} tabIndex={-1}>
            {state.card.name}
          </h2>
          <p className="place-meta">{t(`kinds.${state.card.kind}`)}</p>
          <p className="card-status">
            <OpenStatus place={state.card} now={now} large />
          </p>
          {state.card.closedUntil && (
            <p className="closure">
              {t('status.closedUntil', { date: dateAndTime(state.card.closedUntil, locale) })}
              {state.card.closedReason && ` — ${state.card.closedReason}`}
            </p>
          )}
          <TrainedBadge card={state.card} />
          <div className="card-actions">
            {state.card.phone && (
              <a className="button primary" href={`tel:${state.card.phone.replace(/[^+0-9]/g, '')}`}>
                {t('card.callNumber', { phone: state.card.phone })}
              </a>
            )}
            <a className="button secondary" href={directionLinks(state.card).geo}>
              {t('card.directions')}
            </a>
          </div>
          <p className="osm-link">
            <a href={directionLinks(state.card).osm} rel="noopener noreferrer" target="_blank">
              {t('card.osm')}
            </a>
          </p>
          {state.card.address && (
            <p>
              <span className="visually-hidden">{t('card.address')} </span>
              {state.card.address}
            </p>
          )}
          <section aria-labelledby="place-card-hours">
            <h3 id="place-card-hours">{t('card.hours')}</h3>
            <WeekHours card={state.card} now={now} />
          </section>
        </article>
      )}
    </div>
  );
}

function TrainedBadge({ card }: { card: PlaceCard }) {
  const { t, i18n } = usePlacesT();
  if (!card.trained) return card.partner ? <p className="place-badge">{t('badges.partner')}</p> : null;
  const until = card.trainingExpiresOn ? longDate(card.trainingExpiresOn, i18n.language) : '';
  return (
    <div className="trained-badge">
      <span className="place-badge trained">{t('badges.trainedTitle')}</span>
      <p className="trained-detail">
        {card.lastTrainingDate
          ? t('badges.trainedOn', { date: longDate(card.lastTrainingDate, i18n.language), until })
          : until && t('badges.trainedUntil', { until })}
        {card.trainedStaffCount > 0 && ` · ${t('badges.trainedCount', { count: card.trainedStaffCount })}`}
      </p>
    </div>
  );
}
