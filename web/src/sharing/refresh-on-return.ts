/**
 * Keeps a page's data current without a reload: fetched again when the person comes back to
 * it (tab shown again, window focused — an invitation may have been accepted on another phone
 * meanwhile) and, while `awaiting()` says something is expected, every `pollMs` as long as the
 * page is visible. Coming back fires both `visibilitychange` and `focus`: one fetch for both.
 */
export interface RefreshOptions {
  /** Poll period while `awaiting()` (ms). */
  pollMs: number;
  /** No two fetches closer than this (ms). */
  minGapMs: number;
  /** Whether something is expected to change soon (an invitation link was just made). */
  awaiting: () => boolean;
}

/** Starts listening; returns the function that stops. */
export function refreshOnReturn(reload: () => void, options: RefreshOptions): () => void {
  let last = Date.now();
  const again = () => {
    if (document.visibilityState !== 'visible' || Date.now() - last < options.minGapMs) return;
    last = Date.now();
    reload();
  };
  const poll = setInterval(() => {
    if (options.awaiting()) again();
  }, options.pollMs);
  document.addEventListener('visibilitychange', again);
  window.addEventListener('focus', again);
  return () => {
    clearInterval(poll);
    document.removeEventListener('visibilitychange', again);
    window.removeEventListener('focus', again);
  };
}
