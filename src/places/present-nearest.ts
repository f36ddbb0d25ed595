/**
 * What a nearest-refuge answer says about a place, from the index alone: shared by the
 * server's presenters and the PWA's offline search (so both show the same thing). Pure and
 * free of the opening_hours library, so it can ship in the browser bundle. No I/O.
 */
import { openStatus } from './hours/evaluate.ts';
import { isoInZone } from './hours/tz.ts';
import type { IndexedPlace, NearestHit } from './index/places-index.ts';
import { PLACE_LIMITS } from './kinds.ts';

export const isTrained = (place: IndexedPlace, at: number): boolean =>
  place.partner && place.trainingExpiresAt !== null && at < place.trainingExpiresAt;

export function walkMinutes(distanceM: number): number {
  return Math.max(1, Math.round(distanceM / ((PLACE_LIMITS.walkKmh * 1000) / 60)));
}

/** Open now, and when it closes or opens next (ISO 8601 in the place's zone). */
export function openTimes(place: IndexedPlace, at: number) {
  const status = openStatus(place.hours, at, place.closedUntil);
  return {
    openNow: status.openNow,
    ...(status.opensAt !== null ? { opensAt: isoInZone(place.hours.timeZone, status.opensAt) } : {}),
    ...(status.closesAt !== null ? { closesAt: isoInZone(place.hours.timeZone, status.closesAt) } : {}),
  };
}

export function presentNearest(hit: NearestHit, at: number) {
  const p = hit.place;
  return {
    id: p.id,
    name: p.name,
    kind: p.kind,
    lat: p.lat,
    lon: p.lon,
    distanceM: hit.distanceM,
    walkMinutes: walkMinutes(hit.distanceM),
    ...openTimes(p, at),
    partner: p.partner,
    trained: isTrained(p, at),
    phone: p.phone,
    address: p.address,
  };
}

export function presentMapPlace(p: IndexedPlace, at: number) {
  return {
    id: p.id,
    name: p.name,
    kind: p.kind,
    lat: p.lat,
    lon: p.lon,
    partner: p.partner,
    trained: isTrained(p, at),
    openNow: openTimes(p, at).openNow,
  };
}
