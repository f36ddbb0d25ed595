/**
 * A small map to drop the venue's pin (its own lazy chunk with MapLibre). Shown only when
 * the operator configured a base map: a pin on a blank background would help nobody.
 */
import 'maplibre-gl/dist/maplibre-gl.css';
import maplibregl from 'maplibre-gl';
import { useEffect, useRef } from 'react';
import '../places/i18n.ts';
import { i18n } from '../i18n/i18n.ts';
import { mapLocale, mapStyle } from '../places/map-style.ts';

export default function PinMap({
  value,
  label,
  onChange,
}: {
  value: { lat: number; lon: number } | null;
  label: string;
  onChange(next: { lat: number; lon: number }): void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const marker = useRef<maplibregl.Marker | null>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const change = useRef(onChange);
  change.current = onChange;
  const start = useRef(value);

  useEffect(() => {
    let map: maplibregl.Map | null = null;
    let cancelled = false;
    void mapStyle().then((style) => {
      if (cancelled || !container.current) return;
      const centre = start.current ?? { lat: 46.6, lon: 2.4 };
      try {
        map = new maplibregl.Map({
          container: container.current,
          style,
          center: [centre.lon, centre.lat],
          zoom: start.current ? 17 : 5,
          attributionControl: { compact: true },
          locale: mapLocale(i18n.getFixedT(null, 'places' as never) as unknown as (key: string) => string),
        });
      } catch {
        return; // no WebGL: the latitude and longitude fields remain
      }
      map.on('error', () => undefined);
      map.on('click', (e) => change.current({ lat: e.lngLat.lat, lon: e.lngLat.lng }));
      mapRef.current = map;
    });
    return () => {
      cancelled = true;
      map?.remove();
      mapRef.current = null;
    };
  }, []);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !value) return;
    if (!marker.current) {
      marker.current = new maplibregl.Marker({ draggable: true })
        .setLngLat([value.lon, value.lat])
        .addTo(map);
      marker.current.on('dragend', () => {
        const p = marker.current?.getLngLat();
        if (p) change.current({ lat: p.lat, lon: p.lng });
      });
    } else marker.current.setLngLat([value.lon, value.lat]);
    map.easeTo({ center: [value.lon, value.lat], zoom: Math.max(map.getZoom(), 16) });
  }, [value]);

  return <div ref={container} className="pin-map" role="region" aria-label={label} />;
}
