/**
 * The coverage gaps as a map layer (its own lazy chunk with MapLibre): hexagons shaded by the
 * number of reports with no open refuge nearby, the top ten numbered, and the safe places of
 * the area as dots. Fill layers need no glyphs, so the plain offline style works.
 */
import 'maplibre-gl/dist/maplibre-gl.css';
import maplibregl from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import { placesApi } from '../places/api.ts';
import { mapStyle } from '../places/map-style.ts';
import { centreOf, type Gaps } from './coverage-section.tsx';

export default function CoverageMap({ gaps, label, failed }: { gaps: Gaps; label: string; failed: string }) {
  const container = useRef<HTMLDivElement>(null);
  const [broken, setBroken] = useState(false);

  useEffect(() => {
    let map: maplibregl.Map | null = null;
    let cancelled = false;
    const markers: maplibregl.Marker[] = [];
    const bounds = new maplibregl.LngLatBounds();
    for (const f of gaps.features)
      for (const [lon, lat] of f.geometry.coordinates[0]) bounds.extend([lon, lat]);
    const max = Math.max(...gaps.features.map((f) => f.properties.uncovered), 1);

    void mapStyle().then((style) => {
      if (cancelled || !container.current) return;
      try {
        map = new maplibregl.Map({
          container: container.current,
          style,
          bounds,
          fitBoundsOptions: { padding: 32, maxZoom: 16 },
          attributionControl: { compact: true },
          locale: { 'Map.Title': label },
        });
      } catch {
        setBroken(true);
        return;
      }
      map.on('error', () => undefined);
      const m = map;
      m.once('load', () => {
        m.addSource('gaps', {
          type: 'geojson',
          data: { type: 'FeatureCollection', features: gaps.features.map((f) => ({ ...f, id: undefined })) },
        });
        m.addLayer({
          id: 'gaps-fill',
          type: 'fill',
          source: 'gaps',
          paint: {
            'fill-color': '#b3261e',
            'fill-opacity': ['interpolate', ['linear'], ['get', 'uncovered'], 0, 0.15, max, 0.6],
          },
        });
        m.addLayer({
          id: 'gaps-line',
          type: 'line',
          source: 'gaps',
          paint: { 'line-color': '#7a1712', 'line-width': 1 },
        });
        for (const f of gaps.features.slice(0, 10)) {
          const c = centreOf(f);
          const el = document.createElement('span');
          el.className = 'coverage-rank';
          el.textContent = String(f.properties.rank);
          el.setAttribute('aria-hidden', 'true'); // the ranked table says the same
          markers.push(new maplibregl.Marker({ element: el }).setLngLat([c.lon, c.lat]).addTo(m));
        }
        // The safe places of the area, for context (the verified venues and stations).
        const b = m.getBounds();
        const span = (v: number) => Math.min(v, 1.9);
        const west = b.getWest();
        const south = b.getSouth();
        placesApi
          .inBbox([west, south, west + span(b.getEast() - west), south + span(b.getNorth() - south)], [])
          .then(
            ({ places }) => {
              if (cancelled) return;
              m.addSource('places', {
                type: 'geojson',
                data: {
                  type: 'FeatureCollection',
                  features: places.map((p) => ({
                    type: 'Feature',
                    geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
                    properties: { partner: p.partner },
                  })),
                },
              });
              m.addLayer({
                id: 'places',
                type: 'circle',
                source: 'places',
                paint: {
                  'circle-radius': 5,
                  'circle-color': ['case', ['get', 'partner'], '#1c6b35', '#1f3f66'],
                  'circle-stroke-color': '#ffffff',
                  'circle-stroke-width': 1.5,
                },
              });
            },
            () => undefined,
          );
      });
    });
    return () => {
      cancelled = true;
      for (const marker of markers) marker.remove();
      map?.remove();
    };
  }, [gaps, label]);

  if (broken) return <p className="aside">{failed}</p>;
  return <div ref={container} className="coverage-map" />;
}
