/** "When" of a report: just now, or a local date and time up to 30 days back. Pure. */
import { REPORT_LIMITS } from '../../../src/shared/reports.ts';

export interface When {
  mode: 'now' | 'earlier';
  /** `YYYY-MM-DDTHH:mm` in the phone's time zone (value of the datetime-local input). */
  local: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
export const toLocalInput = (t: number) => {
  const d = new Date(t);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

export const DAY_MS = 86_400_000;
const SKEW_MS = REPORT_LIMITS.clockSkewMinutes * 60_000;

/** The instant to send, or the key of the problem. */
export function resolveWhen(
  when: When,
  now: number,
): { at: string } | { error: 'missing' | 'future' | 'tooOld' } {
  if (when.mode === 'now') return { at: new Date(now).toISOString() };
  const t = when.local ? new Date(when.local).getTime() : Number.NaN;
  if (!Number.isFinite(t)) return { error: 'missing' };
  if (t > now + SKEW_MS) return { error: 'future' };
  if (t < now - REPORT_LIMITS.maxAgeDays * DAY_MS) return { error: 'tooOld' };
  return { at: new Date(t).toISOString() };
}
