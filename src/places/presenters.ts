/** What leaves the server about places: allow-listed shapes, times in the place's zone. */
import { isoInZone } from './hours/tz.ts';
import type { IndexedPlace } from './index/places-index.ts';
import { isTrained, openTimes } from './present-nearest.ts';
import type { PlaceRow } from './store.ts';
import { weekSummary } from './week-summary.ts';

const iso = (ms: number) => new Date(ms).toISOString();

// The nearest and map shapes live in a pure module the PWA also bundles (offline search).
export { isTrained, presentMapPlace, presentNearest, walkMinutes } from './present-nearest.ts';

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
    ...openTimes(indexed, now),
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

/** `statusReason`: the reason given with the current status (`currentStatusReasons`). */
export function presentPartnerPlace(row: PlaceRow, statusReason: string | null) {
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
    statusReason,
    territoryCode: row.territory_code,
    trainedStaffCount: row.trained_staff_count,
    lastTrainingDate: row.last_training_date,
    trainingExpiresOn: row.training_expires_on,
    timeZone: row.time_zone,
    closedUntil: row.closed_until ? isoInZone(row.time_zone, row.closed_until) : null,
    closedReason: row.closed_reason,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
