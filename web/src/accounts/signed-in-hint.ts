/**
 * A non-secret hint in localStorage that a session was opened on this device, and for whom:
 * the session itself is an HttpOnly cookie the page cannot read. Anonymous visitors then do not
 * ask the server (and get a 401) on every load, and the SOS page knows whose trusted contacts
 * to alert when the network is down (it holds their keys for that user in IndexedDB).
 */
const HINT_KEY = 'havre.signedIn';

/** The id of the user signed in on this device (`''` for an older hint without it), or null. */
export function readSignedInHint(): string | null {
  try {
    const value = localStorage.getItem(HINT_KEY);
    return value === null ? null : value === '1' ? '' : value;
  } catch {
    return ''; // cannot tell: ask the server
  }
}

export function writeSignedInHint(userId: string | null): void {
  try {
    if (userId) localStorage.setItem(HINT_KEY, userId);
    else localStorage.removeItem(HINT_KEY);
  } catch {
    // storage disabled: the app still works, it just asks the server on each load
  }
}
