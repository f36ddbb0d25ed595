/** The map of "near me now": the three bands of cells around the phone, and the city's actions. */
import { cellToBoundary } from 'h3-js';
import { useEffect, useRef } from 'react';
import type { ActionFeature, Nearby } from './api.ts';
import { useReportsT } from './i18n.ts';
import { asLngLatBounds, boundsOf } from './map/maplibre.ts';
import { setSourceData, useMap } from './map/use-map.ts';
import type { Position } from './use-geolocation.ts';

export default function NearbyMap({
  position,
  nearby,
  actions,
}: {
  position: Position;
  nearby: Nearby;
  actions: ActionFeature[];
}) {
  const { t, lang } = useReportsT();
  const container = useRef<HTMLDivElement>(null);
  const { map, failed } = useMap(container, {
    center: [position.lon, position.lat],
    zoom: 14.2,
    lang,
    cooperative: true,
  });

  useEffect(() => {
    if (!map) return;
    const cells = nearby.rings.flatMap((ring) =>
      ring.cells.map((cell) => ({
        type: 'Feature' as const,
        properties: { ring: ring.ring, shown: ring.count === null ? 0 : 1 },
        geometry: { type: 'Polygon' as const, coordinates: [cellToBoundary(cell, true)] },
      })),
    );
    setSourceData(map, 'rings', { type: 'FeatureCollection', features: cells });
    map.fitBounds(asLngLatBounds(boundsOf(cells.map((c) => c.geometry.coordinates))), {
      padding: 8,
      duration: 0,
    });
    setSourceData(map, 'actions', { type: 'FeatureCollection', features: actions as never[] });
    setSourceData(map, 'me', {
      type: 'Feature',
      properties: {},
      geometry: { type: 'Point', coordinates: [position.lon, position.lat] },
    });
    if (map.getLayer('rings-fill')) return;
    map.addLayer({
      id: 'rings-fill',
      type: 'fill',
      source: 'rings',
      paint: {
        'fill-color': ['case', ['==', ['get', 'shown'], 1], '#c2410c', '#64748b'],
        'fill-opacity': ['match', ['get', 'ring'], 0, 0.35, 1, 0.22, 0.12],
      },
    });
    map.addLayer({
      id: 'rings-line',
      type: 'line',
      source: 'rings',
      paint: { 'line-color': '#475569', 'line-width': 0.6, 'line-opacity': 0.6 },
    });
    map.addLayer({
      id: 'actions-fill',
      type: 'fill',
      source: 'actions',
      paint: { 'fill-color': '#15803d', 'fill-opacity': 0.25 },
    });
    map.addLayer({
      id: 'actions-line',
      type: 'line',
      source: 'actions',
      paint: { 'line-color': '#15803d', 'line-width': 2 },
    });
    map.addLayer({
      id: 'me',
      type: 'circle',
      source: 'me',
      paint: {
        'circle-radius': 7,
        'circle-color': '#1d4ed8',
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
      },
    });
  }, [map, nearby, actions, position]);

  if (failed) return null; // the lists above and below say the same
  return (
    <div ref={container} className="report-map nearby-map" role="region" aria-label={t('nearby.mapLabel')} />
  );
}
