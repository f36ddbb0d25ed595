/**
 * A MapLibre map in a container element: created once the library and the base style are
 * loaded, removed with the component. `failed` when the device cannot draw it (no WebGL):
 * every screen with a map also gives the same information as a list or a table.
 */

import type { GeoJSONSourceSpecification } from 'maplibre-gl';
import { type RefObject, useEffect, useState } from 'react';
import { baseStyle, loadMapLibre, type MapLib, type MapLibreMap, mapLocale } from './maplibre.ts';

export interface MapOptions {
  center: [number, number]; // [lon, lat]
  zoom: number;
  lang: 'fr' | 'en';
  /** The canvas's accessible name (MapLibre's "Map.Title"), when "Carte" alone names another landmark. */
  title?: string;
  /** Phones: one finger scrolls the page, two move the map. */
  cooperative?: boolean;
}

export interface MapState {
  map: MapLibreMap | null;
  lib: MapLib | null;
  failed: boolean;
  /** Whether a real base map is drawn (else the plain background). */
  basemap: boolean;
}

export function useMap(container: RefObject<HTMLDivElement | null>, options: MapOptions): MapState {
  const [state, setState] = useState<MapState>({ map: null, lib: null, failed: false, basemap: false });
  // The map is created once; later option changes are applied by the caller (flyTo, fitBounds).
  // biome-ignore lint/correctness/useExhaustiveDependencies: created once per container
  useEffect(() => {
    let cancelled = false;
    let created: MapLibreMap | null = null;
    (async () => {
      try {
        const [lib, base] = await Promise.all([loadMapLibre(), baseStyle()]);
        if (cancelled || !container.current) return;
        created = new lib.Map({
          container: container.current,
          style: base.style,
          center: options.center,
          zoom: options.zoom,
          attributionControl: base.basemap ? { compact: true } : false,
          cooperativeGestures: options.cooperative ?? false,
          locale: mapLocale(options.lang, options.title),
          dragRotate: false,
          pitchWithRotate: false,
        });
        created.touchZoomRotate.disableRotation();
        created.addControl(new lib.NavigationControl({ showCompass: false }), 'top-right');
        const ready = created;
        ready.once('load', () => {
          if (!cancelled) setState({ map: ready, lib, failed: false, basemap: base.basemap });
        });
      } catch {
        if (!cancelled) setState((s) => ({ ...s, failed: true }));
      }
    })();
    return () => {
      cancelled = true;
      created?.remove();
    };
  }, [container]);
  return state;
}

/** Adds or replaces a GeoJSON source's data. */
export function setSourceData(map: MapLibreMap, id: string, data: GeoJSONSourceSpecification['data']): void {
  const source = map.getSource(id);
  if (source && 'setData' in source) (source as { setData(d: typeof data): void }).setData(data);
  else map.addSource(id, { type: 'geojson', data });
}
