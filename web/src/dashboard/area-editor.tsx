/**
 * The map of the actions editor: click to place polygon corners, or to add / remove a
 * resolution-9 hexagon. The territory and the other published actions are drawn for
 * orientation. Its own chunk (MapLibre, h3-js).
 */
import { cellToBoundary, latLngToCell } from 'h3-js';
import { useEffect, useRef } from 'react';
import type { ActionFeature } from '../reports/api.ts';
import { asLngLatBounds, boundaryColour, boundsOf } from '../reports/map/maplibre.ts';
import { setSourceData, useMap } from '../reports/map/use-map.ts';
import type { AreaDraft } from './action-area.ts';
import { useDashboardT } from './i18n.ts';
import type { TerritoryFeature } from './territories.ts';

/** ≈ 0.1 km² (≈ 174 m edge): the finest cell a municipality sees on the heatmap. */
const CELL_RESOLUTION = 9;

function draftFeatures(area: AreaDraft) {
  if (area.mode === 'cells') {
    return area.cells.map((cell) => ({
      type: 'Feature' as const,
      properties: { kind: 'area' },
      geometry: { type: 'Polygon' as const, coordinates: [cellToBoundary(cell, true)] },
    }));
  }
  const corners = area.vertices.map((vertex) => ({
    type: 'Feature' as const,
    properties: { kind: 'corner' },
    geometry: { type: 'Point' as const, coordinates: vertex },
  }));
  if (area.vertices.length < 2) return corners;
  const closed = [...area.vertices, area.vertices[0]];
  const shape =
    area.vertices.length >= 3
      ? { type: 'Polygon' as const, coordinates: [closed] }
      : { type: 'LineString' as const, coordinates: area.vertices };
  return [{ type: 'Feature' as const, properties: { kind: 'area' }, geometry: shape }, ...corners];
}

export default function AreaEditor({
  territory,
  others,
  area,
  onChange,
}: {
  territory: TerritoryFeature;
  others: ActionFeature[];
  area: AreaDraft;
  onChange(area: AreaDraft): void;
}) {
  const { t, lang } = useDashboardT();
  const container = useRef<HTMLDivElement>(null);
  const bounds = boundsOf(territory.geometry.coordinates);
  const { map, failed } = useMap(container, {
    center: [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2],
    zoom: 13,
    lang,
  });
  const current = useRef({ area, onChange });
  current.current = { area, onChange };

  // biome-ignore lint/correctness/useExhaustiveDependencies: set up once per map
  useEffect(() => {
    if (!map) return;
    map.fitBounds(asLngLatBounds(bounds), { padding: 24, duration: 0 });
    map.getCanvas().style.cursor = 'crosshair';
    setSourceData(map, 'boundary', { type: 'Feature', properties: {}, geometry: territory.geometry });
    setSourceData(map, 'others', { type: 'FeatureCollection', features: [] });
    setSourceData(map, 'draft', { type: 'FeatureCollection', features: [] });
    map.addLayer({
      id: 'others-fill',
      type: 'fill',
      source: 'others',
      paint: { 'fill-color': '#15803d', 'fill-opacity': 0.15 },
    });
    map.addLayer({
      id: 'boundary-line',
      type: 'line',
      source: 'boundary',
      paint: { 'line-color': boundaryColour(), 'line-width': 2.5 },
    });
    map.addLayer({
      id: 'draft-fill',
      type: 'fill',
      source: 'draft',
      filter: ['==', ['geometry-type'], 'Polygon'],
      paint: { 'fill-color': '#2563eb', 'fill-opacity': 0.3 },
    });
    map.addLayer({
      id: 'draft-line',
      type: 'line',
      source: 'draft',
      filter: ['!=', ['geometry-type'], 'Point'],
      paint: { 'line-color': '#1d4ed8', 'line-width': 2 },
    });
    map.addLayer({
      id: 'draft-corners',
      type: 'circle',
      source: 'draft',
      filter: ['==', ['geometry-type'], 'Point'],
      paint: {
        'circle-radius': 5,
        'circle-color': '#ffffff',
        'circle-stroke-color': '#1d4ed8',
        'circle-stroke-width': 2,
      },
    });
    map.on('click', (event) => {
      const { area: draft, onChange: change } = current.current;
      const { lng, lat } = event.lngLat;
      if (draft.mode === 'polygon') {
        change({ mode: 'polygon', vertices: [...draft.vertices, [lng, lat]] });
        return;
      }
      const cell = latLngToCell(lat, lng, CELL_RESOLUTION);
      const cells = draft.cells.includes(cell)
        ? draft.cells.filter((c) => c !== cell)
        : [...draft.cells, cell];
      change({ mode: 'cells', cells });
    });
  }, [map]);

  useEffect(() => {
    if (map) setSourceData(map, 'draft', { type: 'FeatureCollection', features: draftFeatures(area) });
  }, [map, area]);

  useEffect(() => {
    if (map) setSourceData(map, 'others', { type: 'FeatureCollection', features: others as never[] });
  }, [map, others]);

  if (failed) return <p className="report-notice warn">{t('map.failed')}</p>;
  return (
    <div
      ref={container}
      className="dashboard-map editor-map"
      role="region"
      aria-label={t('actions.mapLabel')}
    />
  );
}
