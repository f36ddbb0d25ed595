/**
 * The privacy rules of DESIGN.md for reports, in one place (pure, no I/O).
 *
 * What comes in: what the reporter sent (category, role, exact point, exact time,
 * optional description and consent) and the territory the caller found for the exact point.
 * What goes out — and is all that is ever stored:
 *   - category and role;
 *   - the H3 cell of resolution 10 (≈ 66 m edge) containing the point, and its parents at
 *     resolutions 9, 8 and 7;
 *   - the hour bucket (start of the UTC hour, which is a local hour too) of when it happened,
 *     with the local day, ISO week, hour of day and weekday in the territory's time zone;
 *   - the territory;
 *   - the description, only if the reporter consented to share it, with e-mail addresses,
 *     phone numbers and URLs removed.
 * Never: account, IP, user agent, device, exact coordinates, exact time. The caller drops the
 * exact point and time after this function.
 */
import { cellToParent, latLngToCell } from 'h3-js';
import { fail } from '../server/errors.ts';
import {
  REPORT_CATEGORIES,
  REPORT_LIMITS,
  REPORT_ROLES,
  type ReportCategory,
  type ReportRole,
  territoryTimeZone,
} from '../shared/reports.ts';
import { floorHour, localParts } from './local-time.ts';
import { scrubDescription } from './scrub.ts';

export interface ReportInput {
  category: string;
  role: string;
  lat: number;
  lon: number;
  /** ISO 8601 with offset (or Z). */
  occurredAt: string;
  description?: string;
  shareDescription?: boolean;
}

export interface AnonymousReport {
  territoryCode: string;
  category: ReportCategory;
  role: ReportRole;
  cell10: string;
  cell9: string;
  cell8: string;
  cell7: string;
  /** Epoch ms of the start of the hour it happened in. */
  hourBucket: number;
  /** Local (territory time zone) calendar day, ISO week, hour 0..23 and ISO weekday 1..7. */
  day: string;
  isoWeek: string;
  hourOfDay: number;
  weekday: number;
  /** Consented, scrubbed text, or null. */
  description: string | null;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * Checks everything that does not need the database, and returns the instant it happened.
 * Error details never repeat the submitted values (they may be a position).
 */
export function validateReportInput(input: ReportInput, now: number): number {
  if (!(REPORT_CATEGORIES as readonly string[]).includes(input.category)) {
    fail('REPORT_UNKNOWN_CATEGORY', `category must be one of ${REPORT_CATEGORIES.join(', ')}`);
  }
  if (!(REPORT_ROLES as readonly string[]).includes(input.role)) fail('REPORT_UNKNOWN_ROLE');
  const { lat, lon } = input;
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
    fail('REPORT_BAD_POSITION', 'lat must be within [-90, 90] and lon within [-180, 180]');
  }
  const occurredAt = ISO_INSTANT.test(input.occurredAt) ? Date.parse(input.occurredAt) : Number.NaN;
  if (!Number.isFinite(occurredAt)) fail('REPORT_BAD_TIME', 'expected e.g. 2026-11-28T22:15:00+01:00');
  if (occurredAt > now + REPORT_LIMITS.clockSkewMinutes * MINUTE_MS) fail('REPORT_IN_FUTURE');
  if (occurredAt < now - REPORT_LIMITS.maxAgeDays * DAY_MS) fail('REPORT_TOO_OLD');
  if ((input.description?.length ?? 0) > REPORT_LIMITS.descriptionMax) {
    fail('REPORT_DESCRIPTION_TOO_LONG', `at most ${REPORT_LIMITS.descriptionMax} characters`);
  }
  return occurredAt;
}

export function anonymizeReport(input: ReportInput, territoryCode: string, now: number): AnonymousReport {
  const occurredAt = validateReportInput(input, now);
  // A report dated within the allowed clock skew is filed in the current hour, not a future one.
  const hourBucket = floorHour(Math.min(occurredAt, now));
  const local = localParts(hourBucket, territoryTimeZone(territoryCode));
  const cell10 = latLngToCell(input.lat, input.lon, 10);
  const text =
    input.shareDescription === true && input.description ? scrubDescription(input.description) : '';
  return {
    territoryCode,
    category: input.category as ReportCategory,
    role: input.role as ReportRole,
    cell10,
    cell9: cellToParent(cell10, 9),
    cell8: cellToParent(cell10, 8),
    cell7: cellToParent(cell10, 7),
    hourBucket,
    day: local.day,
    isoWeek: local.isoWeek,
    hourOfDay: local.hour,
    weekday: local.weekday,
    description: text === '' ? null : text,
  };
}
