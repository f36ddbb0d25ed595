/**
 * How often the sharer's phone sends its position, and when it counts as still. Pure: the
 * engine (sharer.ts) feeds fixes and battery readings, these functions decide.
 *
 * The radio and the GPS are what drain a phone: moving people need frequent updates (a contact
 * watching a walk home), still people do not; a low battery stretches every interval so the
 * phone lasts until home. An SOS ignores the battery except when it is nearly empty.
 */

export const RATE = {
  movingMs: 5_000, // interval while moving
  stillMs: 30_000, // interval while still (the heartbeat that says "still here")
  urgentMovingMs: 3_000, // SOS or alert, moving
  urgentStillMs: 10_000, // SOS or alert, still
  lowBattery: 0.2, // below this (not charging): intervals × 2
  criticalBattery: 0.1, // below this (not charging): intervals × 4, SOS × 2
  movedMetres: 25, // further than this (or than the fix's accuracy) since the anchor = moving
  movingSpeed: 0.7, // m/s reported by the GPS: a slow walk
};

export interface Fix {
  lat: number;
  lon: number;
  accuracy: number;
  speed: number | null;
  t: number;
}

export interface BatteryState {
  level: number;
  charging: boolean;
}

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres (haversine). */
export function distanceM(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Initial bearing from a to b, degrees clockwise from north (0..360). */
export function bearingDeg(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const y = Math.sin(rad(b.lon - a.lon)) * Math.cos(rad(b.lat));
  const x =
    Math.cos(rad(a.lat)) * Math.sin(rad(b.lat)) -
    Math.sin(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.cos(rad(b.lon - a.lon));
  return ((Math.atan2(y, x) * 180) / Math.PI + 360) % 360;
}

/** Milliseconds until the next position should be sent. */
export function sendIntervalMs(state: {
  moving: boolean;
  urgent: boolean;
  battery: BatteryState | null;
}): number {
  const { moving, urgent, battery } = state;
  let ms = urgent
    ? moving
      ? RATE.urgentMovingMs
      : RATE.urgentStillMs
    : moving
      ? RATE.movingMs
      : RATE.stillMs;
  if (battery && !battery.charging) {
    if (battery.level < RATE.criticalBattery) ms *= urgent ? 2 : 4;
    else if (battery.level < RATE.lowBattery && !urgent) ms *= 2;
  }
  return ms;
}

/**
 * Movement tracking: the anchor is where the phone last was when it moved; it is still for as
 * long as new fixes stay within reach of the anchor (GPS jitter is not movement).
 */
export class Motion {
  private anchor: Fix | null = null;
  private lastFix: Fix | null = null;
  /** Time of the anchor: since when the phone has not moved. */
  stillSince: number | null = null;

  /** Feeds a fix; returns whether it counts as movement. */
  update(fix: Fix): boolean {
    this.lastFix = fix;
    if (!this.anchor) {
      this.anchor = fix;
      this.stillSince = fix.t;
      return true;
    }
    const reach = Math.max(RATE.movedMetres, fix.accuracy, this.anchor.accuracy);
    const moved = distanceM(this.anchor, fix) > reach || (fix.speed ?? 0) >= RATE.movingSpeed;
    if (moved) {
      this.anchor = fix;
      this.stillSince = fix.t;
    }
    return moved;
  }

  /** Whether the phone counts as moving now (moved within the last still interval). */
  moving(now: number): boolean {
    return this.stillSince !== null && now - this.stillSince < RATE.stillMs;
  }

  /** Whole minutes without movement at `now`. */
  stillMinutes(now: number): number {
    return this.stillSince === null ? 0 : Math.floor((now - this.stillSince) / 60_000);
  }

  get last(): Fix | null {
    return this.lastFix;
  }
}

/**
 * Whether to report immobility now: past the threshold, and not already reported since the
 * phone last moved (the server asks once; the browser reports again only after moving).
 */
export function shouldReportStill(
  stillMinutes: number,
  thresholdMinutes: number,
  reportedForAnchor: boolean,
): boolean {
  return thresholdMinutes > 0 && stillMinutes >= thresholdMinutes && !reportedForAnchor;
}
