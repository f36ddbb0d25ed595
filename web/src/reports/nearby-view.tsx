/**
 * /signaler/pres-de-moi — recent reports around the phone (bands of H3 cells, each shown only
 * from k reports: "fewer than k", never a small exact number) and the city's published actions
 * nearby. The position is sent for this one answer and kept nowhere.
 */
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/error-message.ts';
import { formatLocale } from '../i18n/locale.ts';
import { type ActionFeature, type Nearby, reportsApi } from './api.ts';
import { useReportsT } from './i18n.ts';
import { useGeolocation } from './use-geolocation.ts';

const NearbyMap = lazy(() => import('./nearby-map.tsx'));

/** About 1.5 km around the point: the actions a walker may come across. */
export function around(lat: number, lon: number): [number, number, number, number] {
  const dLat = 0.0135;
  const dLon = dLat / Math.cos((lat * Math.PI) / 180);
  return [lon - dLon, lat - dLat, lon + dLon, lat + dLat];
}

export default function NearbyView() {
  const { t, lang } = useReportsT();
  const { t: appT } = useTranslation();
  const geo = useGeolocation();
  const [nearby, setNearby] = useState<Nearby | null>(null);
  const [actions, setActions] = useState<ActionFeature[]>([]);
  const [error, setError] = useState<string | null>(null);
  const { locate } = geo;

  // biome-ignore lint/correctness/useExhaustiveDependencies: asked once on arrival
  useEffect(() => {
    locate();
  }, []);

  const load = useCallback(
    (signal?: AbortSignal) => {
      if (!geo.position) return;
      const { lat, lon } = geo.position;
      setError(null);
      Promise.all([reportsApi.nearby(lat, lon, signal), reportsApi.actions(around(lat, lon), signal)]).then(
        ([counts, collection]) => {
          setNearby(counts);
          setActions(collection.features);
        },
        (caught: unknown) => {
          if (!signal?.aborted) setError(`${t('nearby.failed')} ${errorMessage(appT, caught)}`);
        },
      );
    },
    [geo.position, t, appT],
  );

  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const time = new Intl.DateTimeFormat(formatLocale(lang), { timeStyle: 'short' });
  const day = new Intl.DateTimeFormat(formatLocale(lang), { dateStyle: 'long' });
  // Today on this phone, as the actions' dates are written (YYYY-MM-DD).
  const today = new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 10);

  return (
    <div className="nearby">
      <p className="report-intro">{t('nearby.intro')}</p>
      <div role="status">
        {geo.status === 'locating' && <p>{t('nearby.locating')}</p>}
        {(geo.status === 'denied' || geo.status === 'unsupported') && (
          <p className="report-notice warn">{t('nearby.denied')}</p>
        )}
        {error && <p className="report-notice warn">{error}</p>}
      </div>
      {geo.status !== 'found' && geo.status !== 'locating' && (
        <p>
          <button type="button" className="button primary" onClick={locate}>
            {t('nearby.locate')}
          </button>
        </p>
      )}

      {nearby && geo.position && (
        <>
          <section className="card" aria-labelledby="nearby-counts">
            <h2 id="nearby-counts">{t('nearby.countsTitle')}</h2>
            <p className="field-hint">{t('nearby.since', { time: time.format(new Date(nearby.since)) })}</p>
            <dl className="nearby-rings">
              {nearby.rings.map((ring) => (
                <div key={ring.ring} className={`nearby-ring ring-${ring.ring}`}>
                  <dt>{t(`nearby.ring${ring.ring}` as 'nearby.ring0')}</dt>
                  <dd>
                    {ring.count === null
                      ? t('nearby.fewer', { k: nearby.k })
                      : t('nearby.count', { count: ring.count })}
                  </dd>
                </div>
              ))}
            </dl>
            <p className="field-hint">{t('nearby.kNote', { k: nearby.k })}</p>
            <button type="button" className="button secondary" onClick={() => load()}>
              {t('nearby.refresh')}
            </button>
          </section>

          <Suspense fallback={<div className="report-map nearby-map" />}>
            <NearbyMap position={geo.position} nearby={nearby} actions={actions} />
          </Suspense>

          <section className="card" aria-labelledby="nearby-actions">
            <h2 id="nearby-actions">{t('nearby.actionsTitle')}</h2>
            {actions.length === 0 ? (
              <p>{t('nearby.noActions')}</p>
            ) : (
              <ul className="nearby-actions">
                {actions.map((action) => (
                  <li key={action.id}>
                    <h3>{action.properties.title}</h3>
                    <p className="field-hint">
                      {/* A city may publish what it plans: a date to come reads as such. */}
                      {t(action.properties.date > today ? 'nearby.actionPlanned' : 'nearby.actionDate', {
                        date: day.format(new Date(action.properties.date)),
                      })}
                    </p>
                    {action.properties.text && <p>{action.properties.text}</p>}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </div>
  );
}
