/**
 * JSON in localStorage that never throws: storage refused (private mode, quota, a disabled
 * setting) or a value not in our format reads as nothing, and a write that fails keeps nothing.
 * Callers decide what a missing value means.
 */

/** The parsed value under `key`, or null: absent, unreadable or storage refused. */
export function readStored(key: string): unknown {
  let raw: string | null;
  try {
    raw = localStorage.getItem(key);
  } catch {
    return null;
  }
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return null;
  }
}

export function writeStored(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage refused: nothing kept
  }
}

export function removeStored(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // nothing kept
  }
}
