/**
 * The territory's overview: filters, the map with its legend and table, figures, the live
 * feed, exports, and the charts. New reports show without a reload: the live feed's changes
 * refresh the data of any window that ends now.
 */
import { lazy, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { dashboardErrorMessage } from './api.ts';
import { CellsTable, Legend } from './cells-table.tsx';
import { CategoryBars, WeekChart, WhenCharts } from './charts.tsx';
import { readFilters, toQuery, writeFilters } from './filters.ts';
import { FiltersBar } from './filters-bar.tsx';
import { useDashboardT } from './i18n.ts';
import { classBreaks } from './scale.ts';
import { ExportsPanel, LivePanel, TotalsPanel } from './side-panels.tsx';
import type { TerritoryFeature } from './territories.ts';
import { useDashboardData } from './use-dashboard-data.ts';
import { useLive } from './use-live.ts';

const HeatmapMap = lazy(() => import('./heatmap-map.tsx'));

/** Cells the live feed changed in the last minute, outlined on the map. */
const RECENT_MS = 60_000;

export function Overview({ territory }: { territory: TerritoryFeature }) {
  const { t } = useDashboardT();
  const { t: appT } = useTranslation();
  const code = territory.properties.code;
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const live = useLive(code);
  const data = useDashboardData(code, filters, live.version);
  const heatmap = data.heatmap;
  const k = heatmap?.k ?? data.stats?.k ?? 5;
  const max = Math.max(k, ...(heatmap?.features.map((f) => f.properties.count) ?? []));
  const breaks = useMemo(() => classBreaks(k, max), [k, max]);
  const now = Date.now();
  const highlight = live.events.filter((e) => e.cell && now - e.at < RECENT_MS).map((e) => e.cell as string);

  return (
    <>
      <FiltersBar filters={filters} onChange={(next) => setParams(writeFilters(next), { replace: true })} />
      <div role="alert" className="form-alert-region">
        {data.error !== null && <p className="form-alert">{dashboardErrorMessage(t, appT, data.error)}</p>}
      </div>
      <div className="dashboard-grid" aria-busy={data.loading}>
        <section className="card dashboard-map-card" aria-labelledby="map-title">
          <h2 id="map-title">{t('map.title')}</h2>
          <Suspense fallback={<p className="loading">{t('map.loading')}</p>}>
            <HeatmapMap territory={territory} heatmap={heatmap} breaks={breaks} highlight={highlight} />
          </Suspense>
          <Legend breaks={breaks} k={k} />
          {heatmap && <CellsTable heatmap={heatmap} />}
        </section>
        <div className="dashboard-side">
          <TotalsPanel heatmap={heatmap} />
          <LivePanel live={live} />
          <ExportsPanel code={code} query={toQuery(filters, now)} />
        </div>
      </div>
      {data.stats && (
        <div className="dashboard-charts">
          <WeekChart stats={data.stats} />
          <WhenCharts stats={data.stats} code={code} />
          <CategoryBars stats={data.stats} />
        </div>
      )}
    </>
  );
}
