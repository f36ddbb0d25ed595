/**
 * The live feed of a territory (Server-Sent Events, the current UTC week): a `snapshot` on every
 * (re)connection, then `cells` diffs as accepted reports arrive. EventSource reconnects by
 * itself; the snapshot after a reconnection catches up whatever was missed. A `degraded`
 * event (the server's link to the other instances is down) shows until the next snapshot.
 */
import { useEffect, useRef, useState } from 'react';
import { type CellFeature, dashboardApi, type Heatmap, type LiveDiff } from './api.ts';

export type LiveStatus = 'connecting' | 'open' | 'degraded' | 'reconnecting' | 'closed';

export interface LiveEvent {
  id: number;
  at: number;
  kind: 'new' | 'grown' | 'removed' | 'totals';
  before?: number;
  after?: number;
  cell?: string;
  resolution?: number;
}

export interface Live {
  status: LiveStatus;
  /** The current UTC week so far, as the feed sees it. */
  heatmap: Heatmap | null;
  /** Newest first, at most 30. */
  events: LiveEvent[];
  /** Increases on every change: screens whose window ends now refresh on it. */
  version: number;
}

const KEEP = 30;

export function useLive(code: string | null): Live {
  const [live, setLive] = useState<Live>({ status: 'connecting', heatmap: null, events: [], version: 0 });
  const counter = useRef(0);

  useEffect(() => {
    if (!code) return;
    setLive({ status: 'connecting', heatmap: null, events: [], version: 0 });
    const source = new EventSource(dashboardApi.liveUrl(code));
    source.onopen = () => setLive((s) => ({ ...s, status: 'open' }));
    source.onerror = () =>
      setLive((s) => ({
        ...s,
        status: source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting',
      }));

    source.addEventListener('snapshot', (event) => {
      const heatmap = JSON.parse((event as MessageEvent<string>).data) as Heatmap;
      setLive((s) => ({ ...s, status: 'open', heatmap, version: s.version + 1 }));
    });

    source.addEventListener('degraded', () => setLive((s) => ({ ...s, status: 'degraded' })));

    source.addEventListener('cells', (event) => {
      const diff = JSON.parse((event as MessageEvent<string>).data) as LiveDiff;
      setLive((s) => {
        const before = new Map((s.heatmap?.features ?? []).map((f) => [f.properties.cell, f]));
        const at = Date.now();
        const events: LiveEvent[] = [];
        const next = new Map(before);
        for (const feature of diff.changed) {
          const old = before.get(feature.properties.cell);
          events.push({
            id: ++counter.current,
            at,
            kind: old ? 'grown' : 'new',
            before: old?.properties.count,
            after: feature.properties.count,
            cell: feature.properties.cell,
            resolution: feature.properties.resolution,
          });
          next.set(feature.properties.cell, feature);
        }
        for (const cell of diff.removed) {
          next.delete(cell);
          events.push({ id: ++counter.current, at, kind: 'removed', cell });
        }
        if (s.heatmap && s.heatmap.total !== diff.total) {
          events.push({
            id: ++counter.current,
            at,
            kind: 'totals',
            before: s.heatmap.total,
            after: diff.total,
          });
        }
        const features: CellFeature[] = [...next.values()];
        const heatmap: Heatmap = {
          type: 'FeatureCollection',
          territory: code,
          features,
          from: diff.from,
          to: diff.to,
          weeks: diff.weeks,
          total: diff.total,
          hidden: diff.hidden,
          held: diff.held,
          k: diff.k,
        };
        return {
          status: s.status === 'degraded' ? 'degraded' : 'open',
          heatmap,
          events: [...events.reverse(), ...s.events].slice(0, KEEP),
          version: s.version + 1,
        };
      });
    });

    return () => source.close();
  }, [code]);

  return live;
}
