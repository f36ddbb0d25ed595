/**
 * Coverage gaps of a territory (GET /api/territories/:code/coverage-gaps): where reports happen
 * with no safe place open within walking distance at their hours — a ranked list, and the
 * same areas as a map layer (lazy MapLibre chunk). Aggregates under the k rule only.
 */
import { lazy, Suspense, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { errorMessage } from '../api/error-message.ts';
import { formatLocale } from '../i18n/locale.ts';
import { usePartnerT } from './i18n.ts';

export interface GapFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Polygon'; coordinates: number[][][] };
  properties: { rank: number; cell: string; resolution: number; uncovered: number };
}

export interface Gaps {
  type: 'FeatureCollection';
  walkM: number;
  k: number;
  /** The whole UTC weeks counted (Mondays 00:00 UTC, `to` excluded). */
  from: string;
  to: string;
  total: number;
  uncovered: number;
  hidden: number;
  features: GapFeature[];
}

/**
 * The weeks the server counted: the k rule is applied week by week, so "the last 90 days" are
 * the whole UTC weeks that cover them (Monday to Sunday, `to` being the next Monday).
 */
function weeksOf(gaps: Gaps, language: string) {
  const day = new Intl.DateTimeFormat(formatLocale(language), {
    day: 'numeric',
    month: 'long',
    timeZone: 'UTC',
  });
  return {
    from: day.format(Date.parse(gaps.from)),
    to: day.format(Date.parse(gaps.to) - 86_400_000),
  };
}

const CoverageMap = lazy(() => import('./coverage-map.tsx'));

const DAYS = [30, 90, 365];
const WALK = [200, 300, 500];

/** Centre of a hexagon (mean of its ring, closing point excluded). */
export function centreOf(feature: GapFeature): { lat: number; lon: number } {
  const ring = feature.geometry.coordinates[0].slice(0, -1);
  const lon = ring.reduce((s, p) => s + p[0], 0) / ring.length;
  const lat = ring.reduce((s, p) => s + p[1], 0) / ring.length;
  return { lat, lon };
}

export function CoverageSection({ territory }: { territory: string }) {
  const { t } = usePartnerT();
  const { t: tApp, i18n } = useTranslation();
  const id = useId();
  const [days, setDays] = useState(90);
  const [walk, setWalk] = useState(300);
  const [gaps, setGaps] = useState<Gaps | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const controller = new AbortController();
    setGaps(null);
    setError(null);
    api<Gaps>(`/api/territories/${encodeURIComponent(territory)}/coverage-gaps?days=${days}&walkM=${walk}`, {
      signal: controller.signal,
    }).then(setGaps, (e: unknown) => !controller.signal.aborted && setError(e));
    return () => controller.abort();
  }, [territory, days, walk]);

  return (
    <section aria-labelledby={`${id}-title`} className="coverage">
      <h2 id={`${id}-title`}>{t('coverage.title')}</h2>
      <p className="aside">{t('coverage.intro', { k: gaps?.k ?? 5 })}</p>
      <div className="coverage-controls">
        <div className="field">
          <label htmlFor={`${id}-days`}>{t('coverage.days')}</label>
          <select id={`${id}-days`} value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {DAYS.map((d) => (
              <option key={d} value={d}>
                {t('coverage.daysOption', { count: d })}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-walk`}>{t('coverage.walk')}</label>
          <select id={`${id}-walk`} value={walk} onChange={(e) => setWalk(Number(e.target.value))}>
            {WALK.map((m) => (
              <option key={m} value={m}>
                {t('coverage.walkOption', { m })}
              </option>
            ))}
          </select>
        </div>
      </div>
      {error !== null && <p className="form-alert">{errorMessage(tApp, error)}</p>}
      {!gaps && error === null && (
        <p role="status" className="loading">
          {t('coverage.loading')}
        </p>
      )}
      {gaps && (
        <>
          <p className="coverage-summary">
            {t('coverage.summary', {
              count: gaps.uncovered,
              total: gaps.total,
              walk: gaps.walkM,
              hidden: gaps.hidden,
            })}
          </p>
          <p className="aside">{t('coverage.weeks', weeksOf(gaps, i18n.language))}</p>
          {gaps.features.length === 0 ? (
            <p className="aside">{t('coverage.none')}</p>
          ) : (
            <>
              <Suspense fallback={null}>
                <CoverageMap gaps={gaps} label={t('coverage.mapLabel')} failed={t('coverage.mapFailed')} />
              </Suspense>
              <table className="coverage-table">
                <thead>
                  <tr>
                    <th scope="col">{t('coverage.rank')}</th>
                    <th scope="col">{t('coverage.zone')}</th>
                    <th scope="col">{t('coverage.count')}</th>
                  </tr>
                </thead>
                <tbody>
                  {gaps.features.slice(0, 20).map((f) => {
                    const c = centreOf(f);
                    return (
                      <tr key={f.id}>
                        <td>{f.properties.rank}</td>
                        <td>
                          {t('coverage.zoneName', { rank: f.properties.rank })} ·{' '}
                          <a
                            href={`https://www.openstreetmap.org/?mlat=${c.lat.toFixed(5)}&mlon=${c.lon.toFixed(5)}#map=17/${c.lat.toFixed(5)}/${c.lon.toFixed(5)}`}
                            target="_blank"
                            rel="noopener noreferrer"
                          >
                            {t('coverage.see')}
                          </a>
                        </td>
                        <td>{f.properties.uncovered}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </>
          )}
        </>
      )}
    </section>
  );
}
