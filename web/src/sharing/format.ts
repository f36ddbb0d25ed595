/** Numbers, times and places as people read them, in the interface's language. */
import { formatLocale } from '../i18n/locale.ts';
import { bearingDeg } from './rate.ts';

const COMPASS_FR = [
  'au nord',
  'au nord-est',
  'à l’est',
  'au sud-est',
  'au sud',
  'au sud-ouest',
  'à l’ouest',
  'au nord-ouest',
];
const COMPASS_EN = ['north', 'north-east', 'east', 'south-east', 'south', 'south-west', 'west', 'north-west'];

export function formatDistance(metres: number, lng: string): string {
  if (metres < 1_000) return `${Math.max(10, Math.round(metres / 10) * 10)} m`;
  const km = new Intl.NumberFormat(formatLocale(lng), { maximumFractionDigits: metres < 10_000 ? 1 : 0 });
  return `${km.format(metres / 1_000)} km`;
}

/** A fraction as a percentage in the interface's language: "85 %" in French, "85%" in English. */
export function formatPercent(fraction: number, lng: string): string {
  return new Intl.NumberFormat(formatLocale(lng), { style: 'percent', maximumFractionDigits: 0 }).format(
    fraction,
  );
}

/** "12 s", "3 min", "2 h 05": how long ago, short (the same in French and English). */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1_000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  return `${h} h ${String(min % 60).padStart(2, '0')}`;
}

/** 24-hour clock in both languages, as the rest of the app (opening hours, arrivals): a French service. */
export function formatTime(date: Date | number | string, lng: string): string {
  return new Intl.DateTimeFormat(formatLocale(lng), {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(date));
}

/** Hours, minutes and seconds: positions a few seconds apart stay distinct in a list. */
export function formatClock(date: Date | number | string, lng: string): string {
  return new Intl.DateTimeFormat(formatLocale(lng), {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(date));
}

export function formatDateTime(date: Date | number | string, lng: string): string {
  return new Intl.DateTimeFormat(formatLocale(lng), {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(date));
}

/** Decimal degrees with 5 decimals (about a metre): what a caller reads out to the police. */
export const formatCoords = (p: { lat: number; lon: number }): string =>
  `${p.lat.toFixed(5)}, ${p.lon.toFixed(5)}`;

export function compass(from: { lat: number; lon: number }, to: { lat: number; lon: number }, lng: string) {
  const index = Math.round(bearingDeg(from, to) / 45) % 8;
  return (lng === 'en' ? COMPASS_EN : COMPASS_FR)[index];
}

/** A map link anyone can open (no app needed). */
export const mapLink = (p: { lat: number; lon: number }): string =>
  `https://www.openstreetmap.org/?mlat=${p.lat.toFixed(5)}&mlon=${p.lon.toFixed(5)}#map=18/${p.lat.toFixed(5)}/${p.lon.toFixed(5)}`;

/** Walking directions from `from` to `to` (OpenStreetMap's router). */
export const directionsLink = (
  from: { lat: number; lon: number },
  to: { lat: number; lon: number },
): string =>
  `https://www.openstreetmap.org/directions?engine=fossgis_osrm_foot&route=${from.lat.toFixed(5)}%2C${from.lon.toFixed(5)}%3B${to.lat.toFixed(5)}%2C${to.lon.toFixed(5)}`;

/** `sms:` URI with a prefilled body (recipients comma-separated; none: the user picks). */
export const smsLink = (recipients: string[], body: string): string =>
  `sms:${recipients.join(',')}?body=${encodeURIComponent(body)}`;

/** `<input type="datetime-local">` value of a date, in local time. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
