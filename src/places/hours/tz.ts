/**
 * Wall-clock time in a place's time zone, with daylight saving, from Intl alone (runs in
 * Node and in the browser). Offsets are cached per zone and 15-minute slot: every
 * transition of the zones Havre serves falls on a quarter hour, so a cached slot is exact.
 * No I/O.
 */
const MINUTE = 60_000;
const DAY = 86_400_000;
const SLOT = 15 * MINUTE;

const formats = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, Map<number, number>>();

function format(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, f);
  }
  return f;
}

function computeOffset(timeZone: string, ms: number): number {
  const parts = format(timeZone).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((asUtc - (ms - (((ms % 1000) + 1000) % 1000))) / MINUTE);
}

/** Offset of local time from UTC, in minutes (Paris: 60 in winter, 120 in summer). */
export function offsetMinutes(timeZone: string, ms: number): number {
  let zone = offsets.get(timeZone);
  if (!zone) {
    zone = new Map();
    offsets.set(timeZone, zone);
  }
  const slot = Math.floor(ms / SLOT);
  let offset = zone.get(slot);
  if (offset === undefined) {
    if (zone.size > 4096) zone.clear();
    offset = computeOffset(timeZone, slot * SLOT);
    zone.set(slot, offset);
  }
  return offset;
}

export interface WallClock {
  /** Local day number (days since 1970-01-01). */
  day: number;
  /** Minutes since local midnight, 0–1439. */
  minute: number;
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
}

/** Local day, minute and weekday of an instant. */
export function wallClock(timeZone: string, ms: number): WallClock {
  const local = ms + offsetMinutes(timeZone, ms) * MINUTE;
  const day = Math.floor(local / DAY);
  const minute = Math.floor((local - day * DAY) / MINUTE);
  // 1970-01-01 was a Thursday (3 when Monday is 0).
  return { day, minute, weekday: (((day + 3) % 7) + 7) % 7 };
}

/**
 * The instant of a local wall-clock time. In the hour skipped in spring, the time is
 * read with the offset before the change (02:30 → 03:30 summer time); in the repeated
 * autumn hour, the first occurrence wins.
 */
export function fromWallClock(timeZone: string, day: number, minute: number): number {
  const local = day * DAY + minute * MINUTE;
  const before = local - offsetMinutes(timeZone, local - DAY / 2) * MINUTE;
  const after = local - offsetMinutes(timeZone, local + DAY / 2) * MINUTE;
  const shows = (t: number) => t + offsetMinutes(timeZone, t) * MINUTE === local;
  const okBefore = shows(before);
  const okAfter = shows(after);
  if (okBefore && okAfter) return Math.min(before, after);
  if (okAfter) return after;
  return before; // valid, or the skipped spring hour read with the winter offset
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** ISO 8601 with the zone's offset, to the second: 2026-11-28T23:00:00+01:00. */
export function isoInZone(timeZone: string, ms: number): string {
  const offset = offsetMinutes(timeZone, ms);
  const d = new Date(Math.floor(ms / 1000) * 1000 + offset * MINUTE);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** Calendar date (YYYY-MM-DD) of an instant in the zone. */
export function dateInZone(timeZone: string, ms: number): string {
  return isoInZone(timeZone, ms).slice(0, 10);
}
