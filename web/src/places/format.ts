/**
 * How times and distances read on the places screens. Times come from the API as ISO 8601
 * with the place's UTC offset ("2026-11-28T02:00:00+01:00"): the wall-clock part is already
 * the place's local time, so it is shown as is, whatever the phone's own time zone.
 */
import { formatLocale } from '../i18n/locale.ts';

const DAY = 86_400_000;

export type Tone = 'open' | 'closed' | 'unknown';

/** "HH:MM" of an ISO instant, in the place's zone (the offset it was written with). */
export const wallTime = (iso: string): string => iso.slice(11, 16);

function offsetMs(iso: string): number {
  const m = /([+-])(\d{2}):(\d{2})$/.exec(iso);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
}

const dayNumber = (date: string) =>
  Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / DAY;

/** Days between today (in the place's zone) and the ISO instant's local date: 0, 1, … */
export function daysFromToday(iso: string, now: number): number {
  const today = new Date(now + offsetMs(iso)).toISOString().slice(0, 10);
  return dayNumber(iso.slice(0, 10)) - dayNumber(today);
}

/** "lundi", "Monday"… of a YYYY-MM-DD date. */
export function weekdayName(date: string, locale: string): string {
  return new Intl.DateTimeFormat(formatLocale(locale), { weekday: 'long', timeZone: 'UTC' }).format(
    dayNumber(date) * DAY,
  );
}

/** "12 mars 2026" of a YYYY-MM-DD date (or the date part of an ISO instant). */
export function longDate(date: string, locale: string): string {
  return new Intl.DateTimeFormat(formatLocale(locale), {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(dayNumber(date.slice(0, 10)) * DAY);
}

/** "3 décembre à 18:00" of an ISO instant, in the place's zone. */
export function dateAndTime(iso: string, locale: string): string {
  const date = new Intl.DateTimeFormat(formatLocale(locale), {
    day: 'numeric',
    month: 'long',
    timeZone: 'UTC',
  }).format(dayNumber(iso.slice(0, 10)) * DAY);
  return `${date}, ${wallTime(iso)}`;
}

/**
 * "25 min"; beyond an hour "2 h 09" in French, "2 hr 9 min" in English: a long walk is read in
 * hours (a place 109 km away was "1304 min").
 */
export function walkDuration(minutes: number, locale: string): string {
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (locale.startsWith('en')) return rest ? `${hours} hr ${rest} min` : `${hours} hr`;
  return `${hours} h ${String(rest).padStart(2, '0')}`;
}

/** The phone's own time zone (an IANA name). */
export const phoneZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Minutes east of UTC of `timeZone` at `instant`; null for a zone this browser does not know. */
export function zoneOffsetMinutes(timeZone: string, instant: number): number | null {
  let name: string;
  try {
    name =
      new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'longOffset' })
        .formatToParts(instant)
        .find((part) => part.type === 'timeZoneName')?.value ?? '';
  } catch {
    return null;
  }
  const m = /([+\-−])(\d{2}):(\d{2})/.exec(name);
  if (!m) return 0; // "GMT": UTC itself
  return (m[1] === '+' ? 1 : -1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** "UTC+4", "UTC−3", "UTC+5:30", "UTC": an offset as people read it (a true minus sign). */
export function offsetLabel(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const abs = Math.abs(minutes);
  const mm = abs % 60 ? `:${String(abs % 60).padStart(2, '0')}` : '';
  return `UTC${minutes > 0 ? '+' : '−'}${Math.floor(abs / 60)}${mm}`;
}

/**
 * A place's time zone as people read it, in the interface's language: its name ("heure de La
 * Réunion", "Réunion Time"; null when the browser has only an offset for it, or does not know
 * the zone) and its offset at `now` ("UTC+4"; the IANA name itself for an unknown zone).
 */
export function zoneLabel(
  timeZone: string,
  locale: string,
  now: number,
): { name: string | null; offset: string } {
  const minutes = zoneOffsetMinutes(timeZone, now);
  if (minutes === null) return { name: null, offset: timeZone };
  let name: string | null = null;
  try {
    name =
      new Intl.DateTimeFormat(formatLocale(locale), { timeZone, timeZoneName: 'longGeneric' })
        .formatToParts(now)
        .find((part) => part.type === 'timeZoneName')?.value ?? null;
  } catch {
    // A browser without 'longGeneric': the offset alone.
  }
  // Zones without a name of their own come back as an offset ("UTC+00:00", "GMT-03:00").
  if (name && /^(GMT|UTC)([+\-−\d]|$)/.test(name)) name = null;
  return { name, offset: offsetLabel(minutes) };
}

/** Whether the phone's clock reads another time than the place's at `iso` (written with its offset). */
export function phoneClockDiffers(iso: string, zone: string): boolean {
  const phone = zoneOffsetMinutes(zone, Date.parse(iso));
  return phone !== null && phone * 60_000 !== offsetMs(iso);
}

export function formatDistance(meters: number, locale: string): string {
  if (meters < 1000) return `${Math.max(10, Math.round(meters / 10) * 10)} m`;
  const km = meters / 1000;
  return `${new Intl.NumberFormat(formatLocale(locale), { maximumFractionDigits: km < 10 ? 1 : 0 }).format(km)} km`;
}

/** "il y a 3 heures" of an instant in the past; `justNow` under a minute. */
export function age(ms: number, now: number, locale: string, justNow: string): string {
  const rtf = new Intl.RelativeTimeFormat(formatLocale(locale), { numeric: 'auto' });
  const minutes = Math.round((ms - now) / 60_000);
  if (minutes > -1) return justNow;
  if (Math.abs(minutes) < 60) return rtf.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 48) return rtf.format(hours, 'hour');
  return rtf.format(Math.round(hours / 24), 'day');
}

/** "28 nov., 21:04" of an instant, in the phone's zone (when the copy was saved). */
export function shortStamp(ms: number, locale: string): string {
  return new Intl.DateTimeFormat(formatLocale(locale), {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(ms);
}

type T = (key: string, options?: Record<string, unknown>) => string;

/**
 * The status line of a place: "Ouvert · ferme à 02:00", "Fermé · ouvre demain à 17:00",
 * "Horaires inconnus" (unknown is never shown as open). `phone`: the phone's time zone; when its
 * clock reads another time than the place's, the time says it is the place's ("ferme à 12:00
 * (heure du lieu)"), and only then.
 */
export function openLabel(
  t: T,
  locale: string,
  place: { openNow: boolean | null; opensAt?: string; closesAt?: string },
  now: number,
  phone?: string,
): { tone: Tone; label: string; detail: string | null } {
  const at = (iso: string, prefix: 'closes' | 'opens') => {
    let days = daysFromToday(iso, now);
    let date = iso.slice(0, 10);
    let time = wallTime(iso);
    if (time === '00:00' && prefix === 'closes') {
      // A closing at midnight ends the day before: "ferme à minuit", not "ferme demain à 00:00".
      // An opening at 00:00 starts its own day: "ouvre mardi à 00:00", not "demain à minuit"
      // when Monday is closed.
      days -= 1;
      date = new Date((dayNumber(date) - 1) * DAY).toISOString().slice(0, 10);
      time = t('status.midnight');
    }
    if (days <= 0) return t(`status.${prefix}At`, { time });
    if (days === 1) return t(`status.${prefix}Tomorrow`, { time });
    return t(`status.${prefix}On`, { time, day: weekdayName(date, locale) });
  };
  const when = (iso: string, prefix: 'closes' | 'opens') => {
    const detail = at(iso, prefix);
    return phone && phoneClockDiffers(iso, phone) ? t('status.placeTime', { detail }) : detail;
  };
  if (place.openNow === true) {
    if (!place.closesAt) return { tone: 'open', label: t('status.open247'), detail: null };
    return { tone: 'open', label: t('status.open'), detail: when(place.closesAt, 'closes') };
  }
  if (place.openNow === false) {
    return {
      tone: 'closed',
      label: t('status.closed'),
      detail: place.opensAt ? when(place.opensAt, 'opens') : null,
    };
  }
  return { tone: 'unknown', label: t('status.unknown'), detail: null };
}
