/**
 * Nearest refuge on the phone, from a saved export, with the SAME index and hours code as
 * the server (src/places/index, src/places/hours) and the same presenter: the offline list
 * says exactly what the server would have said at that instant. Rules that only the
 * opening_hours library can read stay "unknown" here (never shown as open).
 */
import { dateInZone, isoInZone } from '../../../src/places/hours/tz.ts';
import { indexFromExport } from '../../../src/places/index/from-export.ts';
import type { PlacesIndex } from '../../../src/places/index/places-index.ts';
import { PLACE_LIMITS } from '../../../src/places/kinds.ts';
import {
  isTrained,
  openTimes,
  presentMapPlace,
  presentNearest,
} from '../../../src/places/present-nearest.ts';
import { weekSummary } from '../../../src/places/week-summary.ts';
import type { Filters, MapPlace, NearestPlace, PlaceCard } from './api.ts';
import type { SavedArea } from './offline-store.ts';

const indexes = new WeakMap<SavedArea['data'], PlacesIndex>();

function indexOf(area: SavedArea): PlacesIndex {
  let index = indexes.get(area.data);
  if (!index) {
    index = indexFromExport(area.data);
    indexes.set(area.data, index);
  }
  return index;
}

export function offlineNearest(
  area: SavedArea,
  lat: number,
  lon: number,
  filters: Filters,
  limit: number,
  at = Date.now(),
): NearestPlace[] {
  const hits = indexOf(area).nearest(lat, lon, {
    limit: Math.min(limit, PLACE_LIMITS.maxNearest),
    at,
    kinds: filters.kinds,
    partnerOnly: filters.partnerOnly,
    openOnly: filters.openOnly,
  });
  return hits.map((hit) => presentNearest(hit, at));
}

export function offlineCard(area: SavedArea, id: string, at = Date.now()): PlaceCard | null {
  const place = indexOf(area).get(id);
  if (!place) return null;
  const { hours } = place;
  const zone = hours.timeZone;
  return {
    id: place.id,
    name: place.name,
    kind: place.kind,
    lat: place.lat,
    lon: place.lon,
    address: place.address,
    phone: place.phone,
    timeZone: zone,
    hoursStatus: hours.kind === 'week' ? 'known' : 'unknown',
    week: hours.kind === 'week' ? weekSummary(hours, at) : [],
    ...openTimes(place, at),
    ...(place.closedUntil && place.closedUntil > at
      ? { closedUntil: isoInZone(zone, place.closedUntil) }
      : {}),
    partner: place.partner,
    trained: isTrained(place, at),
    lastTrainingDate: null, // not in the export: the card shows the expiry only
    trainingExpiresOn: place.trainingExpiresAt ? dateInZone(zone, place.trainingExpiresAt) : null,
    trainedStaffCount: 0,
  };
}

export function offlineMapPlaces(area: SavedArea, at = Date.now()): MapPlace[] {
  return indexOf(area).places.map((p) => presentMapPlace(p, at));
}
