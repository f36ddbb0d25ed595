/**
 * MapLibre, loaded only by the screens that draw a map (its own chunk, never the first
 * bundle). The base map is the style configured on the server (`/api/config` mapStyleUrl);
 * without one, a plain background on which boundaries and data are drawn: it works offline
 * and needs no third-party tiles.
 */
import type { LngLatBoundsLike, Map as MapLibreMap, StyleSpecification } from 'maplibre-gl';
import { api } from '../../api/client.ts';

export type MapLib = typeof import('maplibre-gl');
export type { MapLibreMap };

let library: Promise<MapLib> | null = null;
export function loadMapLibre(): Promise<MapLib> {
  library ??= Promise.all([import('maplibre-gl'), import('maplibre-gl/dist/maplibre-gl.css')])
    .then(([module]) => module)
    .catch((error: unknown) => {
      library = null;
      throw error;
    });
  return library;
}

let configured: Promise<string | null> | null = null;
function mapStyleUrl(): Promise<string | null> {
  configured ??= api<{ mapStyleUrl: string | null }>('/api/config')
    .then((config) => config.mapStyleUrl)
    .catch(() => {
      configured = null;
      return null; // offline: the plain background
    });
  return configured;
}

export const prefersDark = () => window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;

/** Territory boundaries: the brand colour, lighter on the dark background. */
export const boundaryColour = () => (prefersDark() ? '#a9cbf5' : '#1f3f66');

/** The plain background: no source, no text (no glyphs to fetch). */
export function plainStyle(): StyleSpecification {
  return {
    version: 8,
    sources: {},
    layers: [
      { id: 'bg', type: 'background', paint: { 'background-color': prefersDark() ? '#1b2530' : '#eef1f5' } },
    ],
  };
}

export async function baseStyle(): Promise<{ style: StyleSpecification | string; basemap: boolean }> {
  const url = await mapStyleUrl();
  return url ? { style: url, basemap: true } : { style: plainStyle(), basemap: false };
}

/**
 * MapLibre's own control texts, in the interface language. `title`: the name of the map's
 * canvas (a region landmark), when the screen has another landmark called "Carte" / "Map".
 */
export function mapLocale(lang: 'fr' | 'en', title?: string): Record<string, string> {
  const named: Record<string, string> = title ? { 'Map.Title': title } : {};
  if (lang === 'en') return named;
  return {
    'AttributionControl.ToggleAttribution': 'Afficher ou masquer les sources',
    'Map.Title': 'Carte',
    'Marker.Title': 'Repère',
    'NavigationControl.ResetBearing': 'Remettre le nord en haut',
    'NavigationControl.ZoomIn': 'Zoomer',
    'NavigationControl.ZoomOut': 'Dézoomer',
    'Popup.Close': 'Fermer',
    'CooperativeGesturesHandler.WindowsHelpText': 'Utilisez Ctrl + molette pour zoomer la carte',
    'CooperativeGesturesHandler.MacHelpText': 'Utilisez ⌘ + molette pour zoomer la carte',
    'CooperativeGesturesHandler.MobileHelpText': 'Utilisez deux doigts pour déplacer la carte',
    ...named,
  };
}

export type Bounds = [number, number, number, number];

/** [minLon, minLat, maxLon, maxLat] of GeoJSON coordinates of any depth. */
export function boundsOf(coordinates: unknown, into: Bounds = [180, 90, -180, -90]): Bounds {
  if (Array.isArray(coordinates) && typeof coordinates[0] === 'number') {
    const [lon, lat] = coordinates as number[];
    into[0] = Math.min(into[0], lon);
    into[1] = Math.min(into[1], lat);
    into[2] = Math.max(into[2], lon);
    into[3] = Math.max(into[3], lat);
  } else if (Array.isArray(coordinates)) {
    for (const child of coordinates) boundsOf(child, into);
  }
  return into;
}

export const asLngLatBounds = (b: Bounds): LngLatBoundsLike => [
  [b[0], b[1]],
  [b[2], b[3]],
];
