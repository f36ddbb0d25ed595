/** What the sharer's phone is doing now, in plain words: sending, waiting for the network, GPS. */
import { useEffect, useState } from 'react';
import { EmergencyNumbers } from '../app/emergency-numbers.tsx';
import { formatAge, formatPercent } from './format.ts';
import { useLng, useT } from './i18n.ts';
import type { SharerState } from './sharer.ts';

/** Re-renders every `ms` (for "12 s ago" texts). */
export function useNow(ms = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

export function SharerStatus({ state }: { state: SharerState }) {
  const t = useT();
  const lng = useLng();
  const now = useNow();
  const online = state.connection === 'online';
  const late = online && state.degraded;
  return (
    <section className="card status-card" aria-labelledby="status-title">
      <h2 id="status-title" className="visually-hidden">
        {t('status.title')}
      </h2>
      <p className="status-line">
        <span className={`dot ${late ? 'late' : online ? 'on' : 'off'}`} aria-hidden="true" />
        <strong>
          {late
            ? t('status.degraded')
            : online
              ? t('status.online')
              : state.connection === 'offline'
                ? t('status.offline')
                : t('status.connecting')}
        </strong>
      </p>
      {/* Always in the page, so that screen readers announce what appears in it (politely). */}
      <div role="status" aria-live="polite" data-testid="delivery-notice">
        {late && (
          <p className="notice warn">
            <strong>{t('status.lateTitle')}</strong> {t('status.lateBody')} {t('status.lateSos')}
          </p>
        )}
      </div>
      {late && (
        <EmergencyNumbers
          intro={t('status.lateDanger')}
          more={
            <a className="button secondary" href="tel:112">
              {t('watch.call112')}
            </a>
          }
        />
      )}
      {!online && state.pending > 0 && (
        <p className="notice warn">{t('status.buffered', { count: state.pending })}</p>
      )}
      {state.geo === 'denied' && <p className="notice danger">{t('status.geoDenied')}</p>}
      {state.geo === 'unavailable' && <p className="notice warn">{t('status.geoUnavailable')}</p>}
      {state.geo === 'waiting' && <p className="aside">{t('status.geoWaiting')}</p>}
      <dl className="facts compact">
        <dt>{t('status.lastSent')}</dt>
        <dd data-testid="last-sent">
          {state.lastSentAt ? t('status.ago', { age: formatAge(now - state.lastSentAt) }) : t('status.never')}
        </dd>
        {state.lastFix && (
          <>
            <dt>{t('status.accuracy')}</dt>
            <dd>{t('status.metres', { m: state.lastFix.accuracy })}</dd>
          </>
        )}
        <dt>{t('status.rhythm')}</dt>
        <dd>{t('status.every', { seconds: Math.round(state.intervalMs / 1_000) })}</dd>
        {state.battery && (
          <>
            <dt>{t('status.battery')}</dt>
            <dd>
              {formatPercent(state.battery.level, lng)}
              {state.battery.charging ? ` · ${t('status.charging')}` : ''}
            </dd>
          </>
        )}
        <dt>{t('status.screen')}</dt>
        <dd>
          {state.wakeLock === 'on'
            ? t('status.awake')
            : state.wakeLock === 'unsupported'
              ? t('status.awakeUnsupported')
              : t('status.awakeOff')}
        </dd>
      </dl>
      <p className="aside status-hint">{t('status.rhythmHint')}</p>
    </section>
  );
}
