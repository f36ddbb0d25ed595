/** The column beside the map: figures (with the part hidden under k explained), the live feed, exports. */

import { formatLocale } from '../i18n/locale.ts';
import type { Heatmap, Query } from './api.ts';
import { dashboardApi } from './api.ts';
import { useDashboardT } from './i18n.ts';
import type { Live, LiveEvent } from './use-live.ts';

const DAY_MS = 86_400_000;

/** "from Monday … to Sunday …" of a window of whole UTC weeks, in UTC dates. */
function weeksText(t: ReturnType<typeof useDashboardT>['t'], lang: string, heatmap: Heatmap): string {
  const date = new Intl.DateTimeFormat(formatLocale(lang), {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
  const from = date.format(Date.parse(heatmap.from));
  const to = date.format(Date.parse(heatmap.to) - DAY_MS); // the Sunday before `to`
  return t('totals.weeks', { count: heatmap.weeks, from, to });
}

export function TotalsPanel({ heatmap }: { heatmap: Heatmap | null }) {
  const { t, lang } = useDashboardT();
  if (!heatmap) return null;
  const number = new Intl.NumberFormat(formatLocale(lang));
  const shown = heatmap.total - heatmap.hidden;
  return (
    <section className="card dashboard-totals" aria-labelledby="totals-title">
      <h2 id="totals-title">{t('totals.title')}</h2>
      <p className="dashboard-weeks" data-weeks={heatmap.weeks}>
        {weeksText(t, lang, heatmap)}
      </p>
      <p className="dashboard-total" data-total={heatmap.total}>
        {t('totals.total', { count: heatmap.total, n: number.format(heatmap.total) })}
      </p>
      <ul className="dashboard-total-parts">
        <li>{t('totals.shown', { count: number.format(shown) })}</li>
        <li>
          {t('totals.hidden', { count: number.format(heatmap.hidden) })}
          {heatmap.held > 0 && <> ({t('totals.held', { count: number.format(heatmap.held) })})</>}
        </li>
      </ul>
      <p className="field-hint">{t('totals.explain', { k: heatmap.k })}</p>
    </section>
  );
}

function eventText(t: ReturnType<typeof useDashboardT>['t'], event: LiveEvent): string {
  switch (event.kind) {
    case 'new':
      return t('live.newCell', {
        count: event.after,
        size: t(`cells.res${event.resolution ?? 9}` as 'cells.res9'),
      });
    case 'grown':
      return t('live.grown', {
        before: event.before,
        after: event.after,
        size: t(`cells.res${event.resolution ?? 9}` as 'cells.res9'),
      });
    case 'removed':
      return t('live.removed');
    default:
      return t('live.totals', { before: event.before, after: event.after });
  }
}

export function LivePanel({ live }: { live: Live }) {
  const { t, lang } = useDashboardT();
  const time = new Intl.DateTimeFormat(formatLocale(lang), { timeStyle: 'medium' });
  const statusKey = {
    connecting: 'live.connecting',
    open: 'live.open',
    degraded: 'live.degraded',
    reconnecting: 'live.reconnecting',
    closed: 'live.closed',
  } as const;
  return (
    <section className="card dashboard-live" aria-labelledby="live-title">
      <div className="dashboard-live-head">
        <h2 id="live-title">{t('live.title')}</h2>
        <span className={`live-status ${live.status}`}>
          <span className="live-dot" aria-hidden="true" />
          {t(statusKey[live.status])}
        </span>
      </div>
      {live.heatmap && (
        <p className="dashboard-live-total" data-total={live.heatmap.total}>
          {t('live.total', { count: live.heatmap.total })} ·{' '}
          {t('live.cells', { count: live.heatmap.features.length })}
        </p>
      )}
      <p className="field-hint">{t('live.weekNote')}</p>
      <h3 id="live-ticker-title" className="dashboard-live-ticker-title">
        {t('live.ticker')}
      </h3>
      {/*
       * A log: screen readers announce each new line without re-reading the list. The role sits
       * on a wrapper: an <ol> may not be a log (it stays a list, with its count of items).
       */}
      <div role="log" aria-live="polite" aria-labelledby="live-ticker-title">
        <ol className="dashboard-ticker">
          {live.events.map((event) => (
            <li key={event.id}>
              <time dateTime={new Date(event.at).toISOString()}>{time.format(event.at)}</time>{' '}
              <span>{eventText(t, event)}</span>
            </li>
          ))}
        </ol>
      </div>
      {live.events.length === 0 && <p className="field-hint">{t('live.empty')}</p>}
    </section>
  );
}

export function ExportsPanel({ code, query }: { code: string; query: Query }) {
  const { t } = useDashboardT();
  return (
    <section className="card dashboard-exports" aria-labelledby="exports-title">
      <h2 id="exports-title">{t('exports.title')}</h2>
      <ul>
        <li>
          <a href={dashboardApi.exportUrl(code, query, 'csv')} download>
            {t('exports.csv')}
          </a>
        </li>
        <li>
          <a href={dashboardApi.exportUrl(code, query, 'geojson')} download>
            {t('exports.geojson')}
          </a>
        </li>
      </ul>
      <p className="field-hint">{t('exports.note')}</p>
    </section>
  );
}
