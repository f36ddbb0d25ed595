/**
 * Heatmap and charts of a territory for the chosen filters. When the window ends now, every
 * change of the live feed refreshes them (the server reads pre-aggregates: cheap), so the map
 * and the charts follow new reports without a reload. The previous data stay on screen meanwhile.
 */
import { useEffect, useState } from 'react';
import { dashboardApi, type Heatmap, type Stats } from './api.ts';
import { endsNow, type Filters, toQuery } from './filters.ts';

export interface DashboardData {
  heatmap: Heatmap | null;
  stats: Stats | null;
  error: unknown;
  loading: boolean;
}

export function useDashboardData(code: string, filters: Filters, liveVersion: number): DashboardData {
  const [data, setData] = useState<DashboardData>({ heatmap: null, stats: null, error: null, loading: true });
  const refresh = endsNow(filters) ? liveVersion : 0;
  const { period, from, to, category } = filters;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `refresh` re-runs it on live changes
  useEffect(() => {
    const controller = new AbortController();
    const query = toQuery({ period, from, to, category }, Date.now());
    setData((d) => ({ ...d, loading: true }));
    Promise.all([
      dashboardApi.heatmap(code, query, controller.signal),
      dashboardApi.stats(code, query, controller.signal),
    ]).then(
      ([heatmap, stats]) => setData({ heatmap, stats, error: null, loading: false }),
      (error: unknown) => {
        if (!controller.signal.aborted) setData((d) => ({ ...d, error, loading: false }));
      },
    );
    return () => controller.abort();
  }, [code, period, from, to, category, refresh]);

  return data;
}
