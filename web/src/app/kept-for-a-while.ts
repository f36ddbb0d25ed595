/**
 * A short string kept on this device for a limited time, in localStorage: shared by every tab
 * and window of this browser (an e-mailed link often opens in another tab than the one that
 * asked for it), gone by itself once stale so that nothing lingers on a shared phone. Storage
 * refused (private mode, quota): nothing is kept, and callers fall back to asking again.
 */

interface Kept {
  value: string;
  until: number;
}

export function keepForAWhile(key: string, value: string, ms: number): void {
  try {
    localStorage.setItem(key, JSON.stringify({ value, until: Date.now() + ms } satisfies Kept));
  } catch {
    // storage refused: nothing kept
  }
}

export function readKept(key: string): string | null {
  let raw: string | null;
  try {
    raw = localStorage.getItem(key);
  } catch {
    return null;
  }
  if (raw === null) return null;
  try {
    const kept = JSON.parse(raw) as Partial<Kept> | null;
    if (kept && typeof kept.value === 'string' && typeof kept.until === 'number' && kept.until > Date.now())
      return kept.value;
  } catch {
    // not in our format: dropped below
  }
  forgetKept(key); // stale or unreadable
  return null;
}

export function forgetKept(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // nothing kept
  }
}
