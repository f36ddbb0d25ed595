/**
 * A small map to point at where it happened: tap the map or drag the marker — or, without a
 * pointer (keyboard, screen reader, switch access), move the map (arrow keys on it, or choose
 * the commune) and place the marker at its centre, shown by a cross. Loaded only when
 * the person chooses "pick on the map" (MapLibre is its own chunk). Without a configured base
 * map, the chosen commune or arrondissement is drawn as orientation.
 */
import type { Marker } from 'maplibre-gl';
import { useEffect, useId, useRef, useState } from 'react';
import { byTerritoryName, reportsApi, type TerritorySummary } from './api.ts';
import { useReportsT } from './i18n.ts';
import { asLngLatBounds, boundaryColour, boundsOf } from './map/maplibre.ts';
import { setSourceData, useMap } from './map/use-map.ts';

export interface Point {
  lat: number;
  lon: number;
}

const PARIS: [number, number] = [2.3488, 48.8534];

export default function LocationPicker({
  start,
  picked,
  onPick,
}: {
  /** The phone's position when known: the map opens there. */
  start: Point | null;
  picked: Point | null;
  onPick(point: Point): void;
}) {
  const { t, lang } = useReportsT();
  const id = useId();
  const container = useRef<HTMLDivElement>(null);
  const initial = picked ?? start;
  const opening = useRef(initial); // read once, when the map is ready
  const { map, lib, failed, basemap } = useMap(container, {
    center: initial ? [initial.lon, initial.lat] : PARIS,
    zoom: initial ? 16 : 11,
    lang,
    cooperative: true,
  });
  const marker = useRef<Marker | null>(null);
  const [territories, setTerritories] = useState<TerritorySummary[]>([]);
  const [territory, setTerritory] = useState('');
  const pick = useRef(onPick);
  pick.current = onPick;
  /** Puts the marker at a point and gives it to the form (set once the map is ready). */
  const place = useRef<((lon: number, lat: number) => void) | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    reportsApi.territories(controller.signal).then(
      (list) => setTerritories(byTerritoryName(list.territories)),
      () => {},
    );
    return () => controller.abort();
  }, []);

  // The marker and the tap: both give the point to the form.
  useEffect(() => {
    if (!map || !lib) return;
    const put = (lon: number, lat: number) => {
      if (!marker.current) {
        marker.current = new lib.Marker({ draggable: true, color: '#b3261e' })
          .setLngLat([lon, lat])
          .addTo(map);
        marker.current.on('dragend', () => {
          const at = marker.current?.getLngLat();
          if (at) pick.current({ lat: at.lat, lon: at.lng });
        });
      } else {
        marker.current.setLngLat([lon, lat]);
      }
      pick.current({ lat, lon });
    };
    place.current = put;
    if (opening.current) put(opening.current.lon, opening.current.lat);
    const onClick = (event: { lngLat: { lng: number; lat: number } }) =>
      put(event.lngLat.lng, event.lngLat.lat);
    map.on('click', onClick);
    return () => {
      map.off('click', onClick);
      place.current = null;
    };
  }, [map, lib]);

  // The chosen territory: its boundary drawn, the map fitted to it.
  useEffect(() => {
    if (!map || !territory) return;
    const controller = new AbortController();
    reportsApi.territory(territory, controller.signal).then(
      (feature) => {
        setSourceData(map, 'territory', { type: 'Feature', properties: {}, geometry: feature.geometry });
        if (!map.getLayer('territory-line')) {
          map.addLayer({
            id: 'territory-line',
            type: 'line',
            source: 'territory',
            paint: { 'line-color': boundaryColour(), 'line-width': 2.5 },
          });
        }
        map.fitBounds(asLngLatBounds(boundsOf(feature.geometry.coordinates)), { padding: 16, duration: 0 });
      },
      () => {},
    );
    return () => controller.abort();
  }, [map, territory]);

  if (failed) return <p className="report-notice warn">{t('where.mapFailed')}</p>;
  return (
    <div className="location-picker">
      <div className="field">
        <label htmlFor={`${id}-territory`}>{t('where.territory')}</label>
        <p className="field-hint" id={`${id}-territory-hint`}>
          {t('where.territoryHint')}
        </p>
        <select
          id={`${id}-territory`}
          aria-describedby={`${id}-territory-hint`}
          value={territory}
          onChange={(event) => setTerritory(event.target.value)}
        >
          <option value="">{t('where.territoryNone')}</option>
          {territories.map((item) => (
            <option key={item.code} value={item.code}>
              {item.name}
            </option>
          ))}
        </select>
      </div>
      <p className="field-hint" id={`${id}-map-hint`}>
        {t('where.mapHint')}
      </p>
      <div className="report-map-frame">
        <div
          ref={container}
          className="report-map"
          role="region"
          aria-label={t('where.mapLabel')}
          aria-describedby={`${id}-map-hint`}
        />
        <span className="report-map-centre" aria-hidden="true" />
      </div>
      <button
        type="button"
        className="button secondary report-map-here"
        disabled={!map}
        onClick={() => {
          const centre = map?.getCenter();
          if (centre) place.current?.(centre.lng, centre.lat);
        }}
      >
        {t('where.useCentre')}
      </button>
      {!basemap && map && <p className="report-map-note">{t('where.noBasemap')}</p>}
      <p role="status" className="report-map-status">
        {picked ? t('where.chosen') : ''}
      </p>
    </div>
  );
}
