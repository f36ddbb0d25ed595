/**
 * The map of safe places (its own lazy chunk: MapLibre and supercluster never load with the
 * first page). Places of the viewport are clustered with supercluster and drawn as HTML
 * buttons, so they are reachable with the keyboard and need no glyphs (the plain style has
 * none). The list beside it stays the accessible alternative.
 */
import 'maplibre-gl/dist/maplibre-gl.css';
import './place-map.css';
import maplibregl from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import Supercluster from 'supercluster';
import { ApiError, CLIENT_ERRORS } from '../api/client.ts';
import { type Bbox, type Filters, type MapPlace, placesApi } from './api.ts';
import { usePlacesT } from './i18n.ts';
import { mapLocale, mapStyle } from './map-style.ts';
import { REACH_STEPS_M } from './nearest-on-phone.ts';
import { offlineMapPlaces } from './offline-search.ts';
import { allAreas, areaWithin, contains, isFresh, type SavedArea } from './offline-store.ts';

interface Props {
  /** Where the map opens (the user's position, or Paris when unknown). */
  centre: { lat: number; lon: number };
  user: { lat: number; lon: number } | null;
  /** The nearest places: the map first frames the user with them. */
  nearest: { lat: number; lon: number }[];
  filters: Filters;
  onSelect(id: string): void;
  onSearchHere(centre: { lat: number; lon: number }): void;
}

const CLUSTER = {
  radius: 56, // cluster radius in pixels: about a finger's width
  maxZoom: 17, // above this, every place is its own marker
};
const MAX_SPAN_DEG = 2; // the API's largest viewport side (PLACE_LIMITS.maxBboxSpanDeg)

type Tone = 'open' | 'closed' | 'unknown';
const toneOf = (p: MapPlace): Tone =>
  p.openNow === true ? 'open' : p.openNow === false ? 'closed' : 'unknown';

/** The viewport, a little larger (short pans need no new query), within the API's largest side. */
function viewport(map: maplibregl.Map): Bbox {
  const b = map.getBounds();
  const c = map.getCenter();
  const padLon = Math.max((b.getEast() - b.getWest()) / 4, 0.005);
  const padLat = Math.max((b.getNorth() - b.getSouth()) / 4, 0.005);
  const half = MAX_SPAN_DEG / 2 - 0.001;
  return [
    Math.max(b.getWest() - padLon, c.lng - half, -180),
    Math.max(b.getSouth() - padLat, c.lat - half, -90),
    Math.min(b.getEast() + padLon, c.lng + half, 180),
    Math.min(b.getNorth() + padLat, c.lat + half, 90),
  ];
}

const holds = (area: SavedArea, bbox: Bbox) =>
  contains(area.bbox, bbox[1], bbox[0]) && contains(area.bbox, bbox[3], bbox[2]);

/**
 * The places of a viewport. While the map frames the user, from the copy of the grid area
 * around her that the list uses (nearest-on-phone.ts): the viewport's bbox would tell the
 * server where she is, which the list never does. Also from any fresh saved copy holding the
 * viewport. Else the server is asked for the viewport: it learns where she looks.
 */
async function placesIn(
  bbox: Bbox,
  filters: Filters,
  signal: AbortSignal,
  user: { lat: number; lon: number } | null,
): Promise<MapPlace[]> {
  const areas = await allAreas();
  let holding = areas.find((a) => isFresh(a) && holds(a, bbox));
  if (!holding && user) {
    const around = await areaWithin(user.lat, user.lon, REACH_STEPS_M[0], { signal }).catch(() => null);
    if (around && holds(around.area, bbox)) holding = around.area;
  }
  let places: MapPlace[];
  if (holding) places = offlineMapPlaces(holding);
  else {
    try {
      places = (await placesApi.inBbox(bbox, filters.kinds, signal)).places;
    } catch (error) {
      if (!(error instanceof ApiError && error.code === CLIENT_ERRORS.network)) throw error;
      const seen = new Set<string>();
      places = areas
        .flatMap((area) => offlineMapPlaces(area))
        .filter((p) => !seen.has(p.id) && seen.add(p.id));
    }
  }
  return places.filter(
    (p) =>
      (!filters.kinds.length || filters.kinds.includes(p.kind)) &&
      (!filters.openOnly || p.openNow === true) &&
      (!filters.partnerOnly || p.partner),
  );
}

export default function PlaceMap({ centre, user, nearest, filters, onSelect, onSearchHere }: Props) {
  const { t } = usePlacesT();
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');
  const [moved, setMoved] = useState(false);
  const dragged = useRef(false); // the user moved the map: stop following their position
  const opening = useRef(centre); // where the map opens; later moves are the user's
  const labels = useRef({ t, onSelect });
  labels.current = { t, onSelect };
  const userAt = useRef(user);
  userAt.current = user;

  // The map itself, once.
  useEffect(() => {
    let map: maplibregl.Map | null = null;
    let cancelled = false;
    void mapStyle().then((style) => {
      if (cancelled || !container.current) return;
      try {
        map = new maplibregl.Map({
          container: container.current,
          style,
          center: [opening.current.lon, opening.current.lat],
          zoom: 15,
          attributionControl: { compact: true },
          dragRotate: false,
          pitchWithRotate: false,
          locale: mapLocale(labels.current.t),
        });
      } catch {
        setState('failed'); // no WebGL on this device
        return;
      }
      map.touchZoomRotate.disableRotation();
      map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
      map.on('error', () => undefined); // a missing tile must not reach the console as an error
      map.once('load', () => !cancelled && setState('ready'));
      map.on('dragend', () => {
        dragged.current = true;
        setMoved(true);
      });
      mapRef.current = map;
    });
    return () => {
      cancelled = true;
      map?.remove();
      mapRef.current = null;
    };
  }, []);

  // The user's position, shown as a dot.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || state !== 'ready' || !user) return;
    const dot = document.createElement('div');
    dot.className = 'map-you';
    dot.setAttribute('role', 'img');
    dot.setAttribute('aria-label', labels.current.t('map.you'));
    const marker = new maplibregl.Marker({ element: dot }).setLngLat([user.lon, user.lat]).addTo(map);
    return () => {
      marker.remove();
    };
  }, [state, user]);

  // Until the user moves the map, it frames their position with the nearest places.
  const frame = nearest
    .slice(0, 3)
    .map((p) => `${p.lon},${p.lat}`)
    .join(';');
  useEffect(() => {
    const map = mapRef.current;
    if (!map || state !== 'ready' || !user || dragged.current) return;
    const bounds = new maplibregl.LngLatBounds([user.lon, user.lat], [user.lon, user.lat]);
    for (const point of frame ? frame.split(';') : []) {
      const [lon, lat] = point.split(',').map(Number);
      bounds.extend([lon, lat]);
    }
    map.fitBounds(bounds, { padding: 56, maxZoom: 16, duration: 0 });
  }, [state, user, frame]);

  // Places of the viewport, clustered, redrawn after each move.
  const kinds = filters.kinds.join(',');
  const { openOnly, partnerOnly } = filters;
  useEffect(() => {
    const map = mapRef.current;
    if (!map || state !== 'ready') return;
    let markers: maplibregl.Marker[] = [];
    let retry: ReturnType<typeof setTimeout> | undefined;
    let controller = new AbortController();
    let index: Supercluster<MapPlace> | null = null;
    const current: Filters = {
      openOnly,
      partnerOnly,
      kinds: kinds ? (kinds.split(',') as Filters['kinds']) : [],
    };

    const draw = () => {
      for (const m of markers) m.remove();
      markers = [];
      if (!index) return;
      const b = map.getBounds();
      const zoom = Math.floor(map.getZoom());
      for (const feature of index.getClusters([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], zoom)) {
        const [lon, lat] = feature.geometry.coordinates;
        const button = document.createElement('button');
        button.type = 'button';
        const props = feature.properties as MapPlace | Supercluster.ClusterProperties;
        if ('cluster' in props && props.cluster) {
          const clusterId = props.cluster_id;
          button.className = 'map-cluster';
          button.textContent = String(props.point_count);
          button.setAttribute('aria-label', labels.current.t('map.cluster', { count: props.point_count }));
          button.addEventListener('click', () => {
            const target = Math.min(
              index?.getClusterExpansionZoom(clusterId) ?? zoom + 2,
              CLUSTER.maxZoom + 1,
            );
            map.easeTo({ center: [lon, lat], zoom: target });
          });
        } else {
          const place = props as MapPlace;
          const tone = toneOf(place);
          button.className = `map-dot ${tone} ${place.kind === 'police' || place.kind === 'gendarmerie' ? 'police' : ''}`;
          button.setAttribute('aria-label', `${place.name}, ${labels.current.t(`status.${tone}`)}`);
          button.title = place.name;
          button.addEventListener('click', () => labels.current.onSelect(place.id));
        }
        markers.push(new maplibregl.Marker({ element: button }).setLngLat([lon, lat]).addTo(map));
      }
    };

    const load = () => {
      clearTimeout(retry);
      controller.abort();
      controller = new AbortController();
      const signal = controller.signal;
      placesIn(viewport(map), current, signal, dragged.current ? null : userAt.current).then(
        (places) => {
          if (signal.aborted) return;
          index = new Supercluster<MapPlace>(CLUSTER);
          index.load(
            places.map((p) => ({
              type: 'Feature' as const,
              geometry: { type: 'Point' as const, coordinates: [p.lon, p.lat] },
              properties: p,
            })),
          );
          draw();
        },
        () => {
          // The list says what went wrong; the map keeps its markers and tries again shortly.
          if (!signal.aborted) retry = setTimeout(load, 5000);
        },
      );
    };

    load();
    map.on('moveend', load);
    map.on('resize', load);
    return () => {
      clearTimeout(retry);
      controller.abort();
      map.off('moveend', load);
      map.off('resize', load);
      for (const m of markers) m.remove();
    };
  }, [state, kinds, openOnly, partnerOnly]);

  return (
    <div className="place-map-frame">
      <div ref={container} className="place-map" />
      <ul className="map-legend">
        <li>
          <span className="open" />
          {t('status.open')}
        </li>
        <li>
          <span />
          {t('status.closed')}
        </li>
        <li>
          <span className="unknown" />
          {t('status.unknown')}
        </li>
        <li>
          <span className="police" />
          {t('kinds.police')}
        </li>
      </ul>
      {state === 'loading' && <p className="map-note">{t('map.loading')}</p>}
      {state === 'failed' && <p className="map-note">{t('map.failed')}</p>}
      {state === 'ready' && moved && (
        <button
          type="button"
          className="button secondary map-search-here"
          onClick={() => {
            const c = mapRef.current?.getCenter();
            if (c) onSearchHere({ lat: c.lat, lon: c.lng });
            setMoved(false);
          }}
        >
          {t('map.searchHere')}
        </button>
      )}
    </div>
  );
}
