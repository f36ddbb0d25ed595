/**
 * The territory's map: its boundary and the hexagons coloured by count (the classes of the
 * legend). Cells that just changed in the live feed are outlined. A click tells the count.
 * Its own chunk (MapLibre); the table of areas says the same for keyboard and screen readers.
 */
import type { ExpressionSpecification, Popup } from 'maplibre-gl';
import { useEffect, useRef } from 'react';
import { asLngLatBounds, boundaryColour, boundsOf } from '../reports/map/maplibre.ts';
import { setSourceData, useMap } from '../reports/map/use-map.ts';
import type { Heatmap } from './api.ts';
import { useDashboardT } from './i18n.ts';
import { stepExpression } from './scale.ts';
import type { TerritoryFeature } from './territories.ts';

const EMPTY = { type: 'FeatureCollection' as const, features: [] };

export default function HeatmapMap({
  territory,
  heatmap,
  breaks,
  highlight,
}: {
  territory: TerritoryFeature;
  heatmap: Heatmap | null;
  breaks: number[];
  /** Cells changed by the live feed a moment ago. */
  highlight: string[];
}) {
  const { t, lang } = useDashboardT();
  const container = useRef<HTMLDivElement>(null);
  const bounds = boundsOf(territory.geometry.coordinates);
  const { map, lib, failed, basemap } = useMap(container, {
    center: [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2],
    zoom: 12,
    lang,
    // The card around the map is the region "Carte": MapLibre's canvas, a region too, says which map.
    title: t('map.label', { name: territory.properties.name }),
  });
  const popup = useRef<Popup | null>(null);

  // The boundary, once; the view fitted to it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: set up once per map
  useEffect(() => {
    if (!map || !lib) return;
    // The layout may still settle (side column, fonts): keep the territory framed until the user moves the map.
    const refit = () => map.fitBounds(asLngLatBounds(bounds), { padding: 24, duration: 0 });
    refit();
    map.on('resize', refit);
    map.once('dragstart', () => map.off('resize', refit));
    map.once('zoomstart', (event) => {
      if ((event as { originalEvent?: unknown }).originalEvent) map.off('resize', refit);
    });
    setSourceData(map, 'boundary', { type: 'Feature', properties: {}, geometry: territory.geometry });
    setSourceData(map, 'cells', EMPTY);
    map.addLayer({
      id: 'cells-fill',
      type: 'fill',
      source: 'cells',
      // Coarser cells (folded under k) are paler: they say "somewhere around here", not "here".
      paint: {
        'fill-color': '#fde68a',
        'fill-opacity': ['match', ['get', 'resolution'], 9, 0.82, 8, 0.6, 0.4],
      },
    });
    map.addLayer({
      id: 'cells-line',
      type: 'line',
      source: 'cells',
      paint: { 'line-color': '#7c2d12', 'line-width': 0.5, 'line-opacity': 0.5 },
    });
    map.addLayer({
      id: 'cells-new',
      type: 'line',
      source: 'cells',
      filter: ['in', ['get', 'cell'], ['literal', []]],
      paint: { 'line-color': '#1d4ed8', 'line-width': 3 },
    });
    map.addLayer({
      id: 'boundary-line',
      type: 'line',
      source: 'boundary',
      paint: { 'line-color': boundaryColour(), 'line-width': 2.5 },
    });
    const onClick = (event: { lngLat: { lng: number; lat: number }; point: { x: number; y: number } }) => {
      const feature = map.queryRenderedFeatures([event.point.x, event.point.y], {
        layers: ['cells-fill'],
      })[0];
      popup.current?.remove();
      if (!feature) return;
      const count = Number(feature.properties?.count ?? 0);
      popup.current = new lib.Popup({ closeButton: true })
        .setLngLat(event.lngLat)
        .setText(`${count} · ${t('cells.count').toLowerCase()}`)
        .addTo(map);
    };
    map.on('click', onClick);
    return () => {
      map.off('click', onClick);
    };
  }, [map, lib]);

  useEffect(() => {
    if (!map) return;
    setSourceData(map, 'cells', heatmap ?? EMPTY);
    map.setPaintProperty(
      'cells-fill',
      'fill-color',
      stepExpression(breaks) as ExpressionSpecification | string,
    );
  }, [map, heatmap, breaks]);

  useEffect(() => {
    if (!map) return;
    map.setFilter('cells-new', ['in', ['get', 'cell'], ['literal', highlight]]);
  }, [map, highlight]);

  if (failed) return <p className="report-notice warn">{t('map.failed')}</p>;
  return (
    <>
      {/* Not a region itself: its canvas is, named as above (two regions of one name are one too many). */}
      <div ref={container} className="dashboard-map" />
      {map && !basemap && <p className="field-hint">{t('map.noBasemap')}</p>}
    </>
  );
}
