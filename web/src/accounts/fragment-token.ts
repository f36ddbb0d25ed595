/**
 * E-mailed links carry their token in the URL fragment (`/compte/verifier#TOKEN`): browsers never
 * send a fragment to a server, so it stays out of logs and Referer headers. Pages read it, then
 * remove it from the address bar and history. The token read is remembered for the page's
 * path, so a page that mounts again still finds it.
 */
const remembered = new Map<string, string>();

export function readFragmentToken(): string | null {
  const path = window.location.pathname;
  let token: string;
  try {
    token = decodeURIComponent(window.location.hash.replace(/^#/, '')).trim();
  } catch {
    return null; // malformed escape: not one of our links
  }
  if (token.length >= 10 && token.length <= 200) remembered.set(path, token);
  return remembered.get(path) ?? null;
}

export function clearFragment(): void {
  if (!window.location.hash) return;
  window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
}
