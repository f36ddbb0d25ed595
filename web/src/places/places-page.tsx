/**
 * /lieux — the nearest safe places and police stations. The list (nearest first) is the
 * main view; the map is a lazy chunk. `?lieu=<id>` opens a place's card, `?vue=carte` the
 * map. Emergency numbers stay pinned at the top. When the network is cut, the nearest
 * search runs on the phone from the saved copy, and the screen says so and how old it is.
 */
import './places.css';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { errorMessage } from '../api/error-message.ts';
import { EmergencyNumbers } from '../app/emergency-numbers.tsx';
import { KEEP_FOCUS, Page } from '../app/page.tsx';
import type { Filters } from './api.ts';
import { FiltersPanel } from './filters.tsx';
import { age, shortStamp } from './format.ts';
import { usePlacesT } from './i18n.ts';
import { PlaceCardView } from './place-card.tsx';
import { PlaceList } from './place-list.tsx';
import { type NearestState, useNearest } from './use-nearest.ts';
import { usePosition } from './use-position.ts';

const PlaceMap = lazy(() => import('./place-map.tsx'));

/** Where the map opens when no position is known yet (Paris). */
const DEFAULT_CENTRE = { lat: 48.8566, lon: 2.3522 };
const PAGE_SIZE = 10;

/** "now" for the open/close labels, refreshed every minute (hours have minute precision). */
function useMinute(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function EmergencyBar() {
  const { t } = usePlacesT();
  return (
    <div className="places-sos">
      <EmergencyNumbers
        intro={t('emergencyIntro')}
        more={
          <a className="button secondary" href="tel:112">
            {t('call112')}
          </a>
        }
      />
    </div>
  );
}

function OfflineNotice({ state, now }: { state: NearestState; now: number }) {
  const { t, i18n } = usePlacesT();
  if (state.status === 'none') return <p className="notice warn">{t('offline.none')}</p>;
  if (state.status !== 'ready' || state.result.source !== 'offline') return null;
  const { generatedAt = now, outside } = state.result;
  return (
    <p className="notice warn" data-offline="true">
      {t('offline.using', {
        age: age(generatedAt, now, i18n.language, t('offline.justNow')),
        date: shortStamp(generatedAt, i18n.language),
      })}
      {outside && ` ${t('offline.outside')}`}
    </p>
  );
}

export default function PlacesPage() {
  const { t } = usePlacesT();
  const { t: tApp } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const placeId = params.get('lieu');
  const view = params.get('vue') === 'carte' ? 'map' : 'list';
  const geo = usePosition();
  const now = useMinute();
  const [searchAt, setSearchAt] = useState<{ lat: number; lon: number } | null>(null);
  const [filters, setFilters] = useState<Filters>({ openOnly: false, partnerOnly: false, kinds: [] });
  const [limit, setLimit] = useState(PAGE_SIZE);
  const origin = searchAt ?? geo.position;
  const { state, saved } = useNearest(origin, filters, limit);
  const [cardName, setCardName] = useState<string | null>(null);
  const list = useRef<HTMLElement>(null);
  /** The place whose card is open, so that coming back lands on its row. */
  const cameFrom = useRef<string | null>(null);
  const appName = tApp('app.name');
  const title = t('title');

  // The document's title names the open card ("Le Bar · Lieux sûrs · Havre", as Page writes its
  // own): a card is where one is, in the tab, the history and a screen reader's window title.
  // This page's effects run after Page's (its child), which writes the page's title.
  useEffect(() => {
    if (!placeId || !cardName) return;
    document.title = `${cardName} · ${title} · ${appName}`;
    return () => {
      document.title = `${title} · ${appName}`;
    };
  }, [placeId, cardName, title, appName]);

  // Back from a card (its "Retour" link or the browser's Back): focus on the row of that place,
  // where she was in the list, rather than the page's heading, where Page's effect (which runs
  // first) puts it; the heading stays when the row is not in the list (a place of the map).
  useEffect(() => {
    if (placeId) {
      cameFrom.current = placeId;
      return;
    }
    const id = cameFrom.current;
    cameFrom.current = null;
    if (!id) return;
    const row = Array.from(list.current?.querySelectorAll<HTMLElement>('a.place-link') ?? []).find(
      (link) => link.dataset.placeId === id,
    );
    row?.focus();
  }, [placeId]);

  const href = (next: { lieu?: string | null; vue?: 'carte' | null }) => {
    const q = new URLSearchParams();
    const lieu = next.lieu === undefined ? placeId : next.lieu;
    const vue = next.vue === undefined ? (view === 'map' ? 'carte' : null) : next.vue;
    if (vue) q.set('vue', vue);
    if (lieu) q.set('lieu', lieu);
    const s = q.toString();
    return s ? `?${s}` : '?';
  };

  const locate = () => {
    setSearchAt(null);
    geo.locate();
  };

  const result = state.status === 'ready' ? state.result : state.status === 'loading' ? state.previous : null;

  return (
    <Page title={title}>
      <EmergencyBar />
      {placeId ? (
        <PlaceCardView id={placeId} backHref={href({ lieu: null })} now={now} onName={setCardName} />
      ) : (
        <>
          <div className="position-line">
            <p role="status" className="position-text">
              {searchAt
                ? t('position.mapCentre')
                : geo.status === 'ok'
                  ? t('position.ok')
                  : t(`position.${geo.status}`)}
            </p>
            {geo.status !== 'asking' && (
              <button type="button" className="link-button" onClick={locate}>
                {geo.status === 'ok' && !searchAt ? t('position.refresh') : t('position.retry')}
              </button>
            )}
          </div>
          <OfflineNotice state={state} now={now} />
          <FiltersPanel filters={filters} onChange={setFilters} />

          <div className="list-head">
            <h2 id="places-list-title">{t('list.title')}</h2>
            <div className="view-switch" role="group" aria-label={t('view.label')}>
              <button
                type="button"
                aria-pressed={view === 'list'}
                onClick={() => navigate(href({ vue: null }), { replace: true, state: KEEP_FOCUS })}
              >
                {t('view.list')}
              </button>
              <button
                type="button"
                aria-pressed={view === 'map'}
                onClick={() => navigate(href({ vue: 'carte' }), { replace: true, state: KEEP_FOCUS })}
              >
                {t('view.map')}
              </button>
            </div>
          </div>

          {view === 'map' && (
            <Suspense fallback={<p className="map-note">{t('map.loading')}</p>}>
              <PlaceMap
                centre={origin ?? DEFAULT_CENTRE}
                user={geo.position}
                nearest={result?.places ?? []}
                filters={filters}
                onSelect={(id) => navigate(href({ lieu: id }))}
                onSearchHere={setSearchAt}
              />
            </Suspense>
          )}

          <section ref={list} aria-labelledby="places-list-title" aria-busy={state.status === 'loading'}>
            {/* In the page from the start: a filter that changes the list is heard ("2 places…"). */}
            <p className="visually-hidden" role="status">
              {result
                ? result.places.length > 0
                  ? t('list.count', { count: result.places.length })
                  : t('list.countNone')
                : ''}
            </p>
            {!origin && geo.status !== 'asking' && <p>{t('list.needPosition')}</p>}
            {state.status === 'loading' && !result && (
              <p role="status" className="loading">
                {t('list.loading')}
              </p>
            )}
            {state.status === 'error' && <p className="notice warn">{errorMessage(tApp, state.error)}</p>}
            {result && result.places.length === 0 && (
              <div className="card">
                <p>{t('list.empty', { km: result.reachM / 1000 })}</p>
                <p className="aside">{t('list.emptyHint')}</p>
              </div>
            )}
            {result && result.places.length > 0 && (
              <>
                <PlaceList places={result.places} now={now} cardHref={(id) => href({ lieu: id })} />
                {result.places.length >= limit && (
                  <button
                    type="button"
                    className="button secondary more"
                    onClick={() => setLimit(limit + 15)}
                  >
                    {t('list.more')}
                  </button>
                )}
              </>
            )}
            {saved && result?.source === 'online' && <p className="aside saved-note">{t('offline.saved')}</p>}
          </section>
        </>
      )}
    </Page>
  );
}
