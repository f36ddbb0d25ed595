/**
 * The end of a temporary closure as the partner types it: a date and a time on the venue's own
 * clock, whatever the zone of the browser (a partner abroad, a phone left on another zone, a
 * venue in La Réunion managed from Paris). No I/O.
 */
import { dateInZone, fromWallClock } from '../../../src/places/hours/tz.ts';

const DAY = 86_400_000;

/** The instant of `date` (YYYY-MM-DD) at `time` (HH:MM) in `timeZone`, or null when unreadable. */
export function closureEnd(timeZone: string, date: string, time: string): number | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return null;
  const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const [hour, minute] = [Number(t[1]), Number(t[2])];
  const utc = Date.UTC(year, month - 1, day);
  // Date.UTC rolls 31 February over into March: such a date was not typed by the picker.
  if (new Date(utc).getUTCDate() !== day || hour > 23 || minute > 59) return null;
  return fromWallClock(timeZone, utc / DAY, hour * 60 + minute);
}

/** Today on the venue's clock (the date picker's minimum). */
export const todayAt = (timeZone: string, now: number) => dateInZone(timeZone, now);
