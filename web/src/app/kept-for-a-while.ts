/**
 * A short string kept on this device for a limited time, in localStorage: shared by every tab
 * and window of this browser (an e-mailed link often opens in another tab than the one that
 * asked for it), gone by itself once stale so that nothing lingers on a shared phone. Storage
 * refused (private mode, quota): nothing is kept, and callers fall back to asking again.
 */
import { readStored, removeStored, writeStored } from './device-storage.ts';

interface Kept {
  value: string;
  until: number;
}

export function keepForAWhile(key: string, value: string, ms: number): void {
  writeStored(key, { value, until: Date.now() + ms } satisfies Kept);
}

export function readKept(key: string): string | null {
  const kept = readStored(key) as Partial<Kept> | null;
  if (kept && typeof kept.value === 'string' && typeof kept.until === 'number' && kept.until > Date.now())
    return kept.value;
  forgetKept(key); // stale or unreadable
  return null;
}

export const forgetKept = (key: string): void => removeStored(key);
