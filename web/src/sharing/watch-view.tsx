/**
 * What a contact or a guest sees of a session: the alert if there is one, the last position
 * (decrypted here) with its age, battery and accuracy, the destination and expected arrival,
 * a map (loaded on demand) with the trail, the recent positions as a list (for screen readers
 * and keyboards), and the nearest open refuges to the person.
 */
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { decryptMeta } from '../../../src/shared/envelope.ts';
import { Page } from '../app/page.tsx';
import type { ShareView } from './api.ts';
import {
  formatAge,
  formatClock,
  formatCoords,
  formatDateTime,
  formatPercent,
  formatTime,
  mapLink,
} from './format.ts';
import { type SharingT, useLng, useT } from './i18n.ts';
import { Refuges } from './refuges.tsx';
import { useNow } from './sharer-status.tsx';
import { useObservable } from './use-observable.ts';
import { Watcher } from './watcher.ts';

const WatchMap = lazy(() => import('./watch-map.tsx'));
const RECENT = 5;

/**
 * Why the session ended, as the contact reads it (live from the relay, or after a reload from the
 * 410). `who`: the sharer's address, null when not known (a guest): a sentence of its own then,
 * "Votre proche est bien arrivé·e", not the name's place filled with a lowercase "votre proche".
 */
export function endedText(t: SharingT, reason: string | null | undefined, who: string | null): string {
  if (reason === 'arrived') return who ? t('watch.arrivedNow', { who }) : t('watch.arrivedNowUnnamed');
  if (reason === 'sos_cancelled')
    return who ? t('watch.sosCancelledNow', { who }) : t('watch.sosCancelledNowUnnamed');
  return t('watch.endedNow');
}

/** "alice@… changed the expected arrival: …", or its own sentence when the name is not known. */
function movedText(t: SharingT, arrival: boolean, who: string | null, time: string): string {
  if (who) return t(arrival ? 'watch.movedArrival' : 'watch.movedUntil', { who, time });
  return t(arrival ? 'watch.movedArrivalUnnamed' : 'watch.movedUntilUnnamed', { time });
}

export function WatchView({
  id,
  initial,
  sessionKey,
  guest,
  refetch,
}: {
  id: string;
  initial: ShareView;
  sessionKey: CryptoKey;
  guest?: string;
  /** The session as the server shows it now; null when it is gone (ended, revoked). */
  refetch: () => Promise<ShareView | null>;
}) {
  const t = useT();
  const lng = useLng();
  const now = useNow();
  const [view, setView] = useState(initial);
  const [destination, setDestination] = useState<string | null>(null);
  const refetchRef = useRef(refetch);
  refetchRef.current = refetch;
  const watcher = useMemo(
    () =>
      new Watcher(id, sessionKey, guest, () => {
        void refetchRef.current().then(
          (next) => next && setView(next),
          () => {},
        );
      }),
    [id, sessionKey, guest],
  );
  const state = useObservable(watcher);

  useEffect(() => {
    watcher.start();
    return () => watcher.stop();
  }, [watcher]);

  useEffect(() => {
    if (!view.meta) return;
    decryptMeta(sessionKey, id, view.meta).then(
      (meta) => setDestination(typeof meta.destination === 'string' ? meta.destination : null),
      () => setDestination(null),
    );
  }, [view.meta, sessionKey, id]);

  const name = view.owner?.email ?? null;
  /** Within a sentence; a sentence that starts with the name has its own wording without it. */
  const who = name ?? t('watch.someone');
  const last = state.points.at(-1) ?? null;
  const status = state.status ?? view.status;
  const ended = state.final === 'ended' || status === 'ended';
  const revoked = state.final === 'revoked' || state.final === 'refused';
  const waiting = (state.access ?? view.access) === 'waiting' && !ended && !revoked;
  // A time moved while the page is open comes through the socket; the view has the one before.
  const times = state.times ?? { expectedArrival: view.expectedArrival, until: view.until };
  const due = times.expectedArrival ?? times.until;
  const reason = view.alertReason;
  const going = !ended && !revoked;

  return (
    <Page title={guest ? t('watch.titleGuest') : t('watch.titleOf', { who })}>
      {status === 'alerted' && !ended && (
        <section className="question alert" role="alert">
          <h2>{reason === 'sos' ? t('watch.sosTitle', { who }) : t('watch.alertTitle', { who })}</h2>
          <p>
            {reason === 'still'
              ? t('watch.alertStill')
              : reason === 'sos'
                ? t('watch.alertSos')
                : t('watch.alertOverdue')}
          </p>
          <div className="actions">
            <a className="button danger" href="tel:17">
              {t('watch.call17')}
            </a>
            <a className="button danger" href="tel:112">
              {t('watch.call112')}
            </a>
          </div>
        </section>
      )}
      {ended && (
        <p className="notice" role="status">
          {endedText(t, state.endReason, name)}
        </p>
      )}
      {revoked && !ended && (
        <p className="notice danger" role="alert">
          {guest ? t('watch.revokedGuest') : t('watch.revoked')}
        </p>
      )}
      {/* Always in the page: "she is OK" and a new time are announced (politely) as they come. */}
      <div role="status" aria-live="polite" data-testid="checkin-notice">
        {going && state.okAt !== null && status !== 'alerted' && (
          <p className="notice ok">{t('watch.okNow', { who, time: formatTime(state.okAt, lng) })}</p>
        )}
        {going && state.times && due && (
          <p className="notice">
            {movedText(t, Boolean(times.expectedArrival), name, formatDateTime(due, lng))}
          </p>
        )}
      </div>
      {waiting && <p className="notice">{t(guest ? 'watch.waitingGuest' : 'watch.waiting', { who })}</p>}
      {/* Always in the page, so that screen readers announce what appears in it (politely). */}
      <div role="status" aria-live="polite" data-testid="delivery-notice">
        {state.degraded && state.connection === 'online' && !waiting && !ended && !revoked && (
          <p className="notice warn">{t('watch.late', { who })}</p>
        )}
      </div>

      <dl className="facts compact trip-facts">
        <dt>{t('watch.mode')}</dt>
        <dd>{t(`modes.${view.mode as 'trip'}`)}</dd>
        {destination && !revoked && (
          <>
            <dt>{t('watch.destination')}</dt>
            <dd>{destination}</dd>
          </>
        )}
        {due && (
          <>
            <dt>{times.expectedArrival ? t('watch.arrival') : t('watch.until')}</dt>
            <dd>{formatDateTime(due, lng)}</dd>
          </>
        )}
        {/* Nothing more comes once the session ended or access went: no "connecting…" for ever. */}
        {!ended && !revoked && (
          <>
            <dt>{t('watch.connection')}</dt>
            <dd>
              {state.connection !== 'online'
                ? t('status.connecting')
                : state.degraded
                  ? t('status.degraded')
                  : t('status.online')}
            </dd>
          </>
        )}
      </dl>

      {last && (
        <section className="card last-position" aria-labelledby="last-title" data-testid="last-position">
          <h2 id="last-title">{t('watch.lastTitle')}</h2>
          <p className="coords">{formatCoords(last)}</p>
          <p>
            <strong>{t('status.ago', { age: formatAge(now - last.t) })}</strong> · ±{last.accuracy} m
            {last.battery !== null && (
              <> · {t('watch.battery', { level: formatPercent(last.battery, lng) })}</>
            )}
            {last.speed !== null && last.speed > 0.5 && <> · {Math.round(last.speed * 3.6)} km/h</>}
          </p>
          <p>
            <a href={mapLink(last)} target="_blank" rel="noreferrer">
              {t('watch.openMap')}
            </a>
          </p>
        </section>
      )}
      {!last && !waiting && !ended && !revoked && <p className="aside">{t('watch.noPosition')}</p>}

      {state.points.length > 0 && (
        <Suspense fallback={<div className="map-frame map-loading">{t('watch.mapLoading')}</div>}>
          <WatchMap points={state.points} label={t('watch.mapLabel', { who })} />
        </Suspense>
      )}

      {state.points.length > 0 && (
        <section className="card" aria-labelledby="recent-title">
          <h2 id="recent-title">{t('watch.recentTitle')}</h2>
          <ol className="recent" data-testid="recent-positions">
            {state.points
              .slice(-RECENT)
              .reverse()
              .map((p) => (
                <li key={p.seq}>
                  <time dateTime={new Date(p.t).toISOString()}>{formatClock(p.t, lng)}</time> ·{' '}
                  {formatCoords(p)} · ±{p.accuracy} m
                </li>
              ))}
          </ol>
          {state.unreadable > 0 && (
            <p className="aside">{t('watch.unreadable', { count: state.unreadable })}</p>
          )}
        </section>
      )}

      {last && !ended && !revoked && <Refuges position={last} who="them" title={t('refuges.titleThem')} />}
    </Page>
  );
}
