/**
 * Wall-clock parts of an instant in a territory's time zone: local day, ISO week, hour of
 * day and weekday. Pure (Intl only). Hour buckets are UTC-aligned hours, which are also
 * local hours in every zone Havre serves (whole-hour offsets).
 */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export interface LocalParts {
  /** YYYY-MM-DD, local. */
  day: string;
  /** ISO 8601 week, e.g. 2026-W48. */
  isoWeek: string;
  /** 0..23, local. */
  hour: number;
  /** ISO weekday 1 (Monday) .. 7 (Sunday), local. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export const floorHour = (t: number): number => Math.floor(t / HOUR_MS) * HOUR_MS;
export const ceilHour = (t: number): number => Math.ceil(t / HOUR_MS) * HOUR_MS;

/** ISO week of a calendar date (year, month 1..12, day). */
export function isoWeekOf(year: number, month: number, day: number): string {
  const date = Date.UTC(year, month - 1, day);
  const weekday = ((new Date(date).getUTCDay() + 6) % 7) + 1;
  // The Thursday of this week decides the ISO year.
  const thursday = new Date(date + (4 - weekday) * DAY_MS);
  const isoYear = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / DAY_MS / 7) + 1;
  return `${isoYear}-W${String(week).padStart(2, '0')}`;
}

// Reports of the same hour share their parts: Intl formatting costs more than the rest of
// the anonymization together. Bounded: cleared when full.
const memo = new Map<string, LocalParts>();

export function localParts(t: number, timeZone: string): LocalParts {
  const key = `${timeZone}|${t}`;
  const known = memo.get(key);
  if (known) return known;
  if (memo.size >= 20_000) memo.clear();
  const parts = computeParts(t, timeZone);
  memo.set(key, parts);
  return parts;
}

function computeParts(t: number, timeZone: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(t))) parts[p.type] = p.value;
  const year = Number(parts.year);
  const month = Number(parts.month);
  const day = Number(parts.day);
  const weekday = ((new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7) + 1;
  return {
    day: `${parts.year}-${parts.month}-${parts.day}`,
    isoWeek: isoWeekOf(year, month, day),
    hour: Number(parts.hour),
    weekday,
  };
}

/** YYYY-MM-DD of the UTC day (quota days: an account's day, not a territory's). */
export const utcDay = (t: number): string => new Date(t).toISOString().slice(0, 10);
