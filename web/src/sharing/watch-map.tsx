/**
 * The watched person's trail and last position on a MapLibre map. Loaded lazily (MapLibre is
 * large); without a configured base map style (`/api/config` → mapStyleUrl) it draws on a plain
 * background, which works offline. The list of recent positions beside it is the accessible
 * alternative. As on the places map, MapLibre's canvas is the map's region, named `label`, and
 * its zoom buttons are named in the interface language: the frame has no role of its own (an
 * image may not hold the focusable canvas and buttons).
 */
import 'maplibre-gl/dist/maplibre-gl.css';
import maplibregl, { type GeoJSONSource, type StyleSpecification } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client.ts';
import { useT } from './i18n.ts';
import type { WatchedPoint } from './watcher.ts';

const PLAIN: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#e8edf2' } }],
};

let style: Promise<StyleSpecification | string> | null = null;
function baseStyle() {
  style ??= api<{ mapStyleUrl: string | null }>('/api/config').then(
    (c) => c.mapStyleUrl ?? PLAIN,
    () => PLAIN,
  );
  return style;
}

const line = (points: WatchedPoint[]): GeoJSON.Feature => ({
  type: 'Feature',
  properties: {},
  geometry: { type: 'LineString', coordinates: points.map((p) => [p.lon, p.lat]) },
});
const dot = (p: WatchedPoint): GeoJSON.Feature => ({
  type: 'Feature',
  properties: {},
  geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
});

export default function WatchMap({ points, label }: { points: WatchedPoint[]; label: string }) {
  const t = useT();
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<maplibregl.Map | null>(null);
  const [ready, setReady] = useState(false);
  const [failed, setFailed] = useState(false);
  const first = points[0];

  // biome-ignore lint/correctness/useExhaustiveDependencies: the map is made once
  useEffect(() => {
    let cancelled = false;
    void baseStyle().then((s) => {
      if (cancelled || !container.current) return;
      try {
        const m = new maplibregl.Map({
          container: container.current,
          style: s,
          center: [first.lon, first.lat],
          zoom: 15,
          attributionControl: false,
          locale: {
            'Map.Title': label,
            'NavigationControl.ZoomIn': t('watch.zoomIn'),
            'NavigationControl.ZoomOut': t('watch.zoomOut'),
          },
        });
        m.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
        m.on('load', () => {
          m.addSource('trail', { type: 'geojson', data: line([]) });
          m.addSource('last', { type: 'geojson', data: line([]) });
          m.addLayer({
            id: 'trail',
            type: 'line',
            source: 'trail',
            paint: { 'line-color': '#1f3f66', 'line-width': 4, 'line-opacity': 0.8 },
          });
          m.addLayer({
            id: 'last-halo',
            type: 'circle',
            source: 'last',
            paint: { 'circle-radius': 14, 'circle-color': '#b3261e', 'circle-opacity': 0.25 },
          });
          m.addLayer({
            id: 'last',
            type: 'circle',
            source: 'last',
            paint: {
              'circle-radius': 7,
              'circle-color': '#b3261e',
              'circle-stroke-color': '#ffffff',
              'circle-stroke-width': 2,
            },
          });
          setReady(true);
        });
        map.current = m;
      } catch {
        setFailed(true); // no WebGL: the list below still shows every position
      }
    });
    return () => {
      cancelled = true;
      map.current?.remove();
      map.current = null;
    };
  }, []);

  useEffect(() => {
    const m = map.current;
    if (!m || !ready || points.length === 0) return;
    const last = points[points.length - 1];
    (m.getSource('trail') as GeoJSONSource).setData(line(points));
    (m.getSource('last') as GeoJSONSource).setData(dot(last));
    m.easeTo({ center: [last.lon, last.lat], duration: 600 });
  }, [points, ready]);

  if (failed) return <p className="notice warn">{t('watch.mapFailed')}</p>;
  return <div ref={container} className="map-frame" />;
}
