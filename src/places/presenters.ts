/** What leaves the server about places: allow-listed shapes, times in the place's zone. */
import { openStatus } from './hours/evaluate.ts';
import { compileWithLibrary } from './hours/fallback.ts';
import { isoInZone } from './hours/tz.ts';
import { isHolidayRegion } from './hours/zones.ts';
import type { IndexedPlace, NearestHit } from './index/places-index.ts';
import { PLACE_LIMITS } from './kinds.ts';
import type { PlaceRow } from './store.ts';
import { weekSummary } from './week-summary.ts';

const iso = (ms: number) => new Date(ms).toISOString();

export const isTrained = (place: IndexedPlace, at: number): boolean =>
  place.partner && place.trainingExpiresAt !== null && at < place.trainingExpiresAt;

export function walkMinutes(distanceM: number): number {
  return Math.max(1, Math.round(distanceM / ((PLACE_LIMITS.walkKmh * 1000) / 60)));
}

function times(place: IndexedPlace, at: number) {
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
    ...times(p, at),
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
    openNow: times(p, at).openNow,
  };
}

export function hoursOfRow(row: PlaceRow) {
  const region = isHolidayRegion(row.holiday_region) ? row.holiday_region : 'metropole';
  return compileWithLibrary(row.opening_hours, { timeZone: row.time_zone, region });
}

export function presentCard(row: PlaceRow, indexed: IndexedPlace, now: number) {
  const hours = indexed.hours;
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    lat: row.lat,
    lon: row.lon,
    address: row.address,
    phone: row.phone,
    accessibility: row.accessibility,
    source: row.source,
    timeZone: row.time_zone,
    openingHours: row.opening_hours,
    hoursStatus: hours.kind === 'week' ? 'known' : hours.kind === 'rules' ? 'variable' : 'unknown',
    week: weekSummary(hours, now),
    ...times(indexed, now),
    ...(row.closed_until && row.closed_until > now
      ? {
          closedUntil: isoInZone(row.time_zone, row.closed_until),
          ...(row.closed_reason ? { closedReason: row.closed_reason } : {}),
        }
      : {}),
    partner: indexed.partner,
    trained: isTrained(indexed, now),
    lastTrainingDate: indexed.partner ? row.last_training_date : null,
    trainingExpiresOn: indexed.partner ? row.training_expires_on : null,
    trainedStaffCount: indexed.partner ? row.trained_staff_count : 0,
  } as const;
}

export function presentPartnerPlace(row: PlaceRow) {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    lat: row.lat,
    lon: row.lon,
    address: row.address,
    phone: row.phone,
    openingHours: row.opening_hours,
    accessibility: row.accessibility,
    status: row.status ?? 'applied',
    territoryCode: row.territory_code,
    trainedStaffCount: row.trained_staff_count,
    lastTrainingDate: row.last_training_date,
    trainingExpiresOn: row.training_expires_on,
    closedUntil: row.closed_until ? isoInZone(row.time_zone, row.closed_until) : null,
    closedReason: row.closed_reason,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
