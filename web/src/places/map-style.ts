/**
 * The map's style: the operator's base map when /api/config names one, else a plain
 * background that needs no network (offline, tests) on which places are drawn.
 */
import type { StyleSpecification } from 'maplibre-gl';
import { placesApi } from './api.ts';

function plainStyle(): StyleSpecification {
  const dark = window.matchMedia?.('(prefers-color-scheme: dark)').matches;
  return {
    version: 8,
    sources: {},
    layers: [{ id: 'bg', type: 'background', paint: { 'background-color': dark ? '#1b2530' : '#e8edf3' } }],
  };
}

let cached: Promise<string | StyleSpecification> | null = null;

export function mapStyle(): Promise<string | StyleSpecification> {
  cached ??= placesApi.config().then(
    (config) => config.mapStyleUrl ?? plainStyle(),
    () => {
      cached = null; // offline: try the configured style again next time
      return plainStyle();
    },
  );
  return cached;
}

/** Whether the operator configured a base map (a pin on a blank background helps nobody). */
export async function hasBaseMap(): Promise<boolean> {
  return typeof (await mapStyle()) === 'string';
}

/** MapLibre's own control labels, in the interface language. */
export function mapLocale(t: (key: string) => string): Record<string, string> {
  return {
    'NavigationControl.ZoomIn': t('map.zoomIn'),
    'NavigationControl.ZoomOut': t('map.zoomOut'),
    'AttributionControl.ToggleAttribution': t('map.attribution'),
    'Map.Title': t('map.label'),
  };
}
