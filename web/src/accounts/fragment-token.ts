/**
 * E-mailed links carry their token in the URL fragment (`/compte/verifier#TOKEN`): browsers never
 * send a fragment to a server, so it stays out of logs and Referer headers. Pages read it, then
 * remove it from the address bar and history. The token read is remembered for the page's
 * path, so a page that mounts again still finds it. After the token, a link may carry
 * `&name=value` pairs (the sign-up link's `suite`: src/accounts/signup.ts).
 */
const remembered = new Map<string, { token: string; params: URLSearchParams }>();

export function readFragmentToken(): string | null {
  return readFragment()?.token ?? null;
}

/** A value carried after the token (`#TOKEN&name=value`), or null. */
export function readFragmentParam(name: string): string | null {
  return readFragment()?.params.get(name) ?? null;
}

function readFragment() {
  const path = window.location.pathname;
  const [first, ...rest] = window.location.hash.replace(/^#/, '').split('&');
  try {
    const token = decodeURIComponent(first).trim();
    const params = new URLSearchParams(rest.join('&'));
    if (token.length >= 10 && token.length <= 200) remembered.set(path, { token, params });
  } catch {
    // malformed escape: not one of our links
  }
  return remembered.get(path) ?? null;
}

export function clearFragment(): void {
  if (!window.location.hash) return;
  window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
}
