/**
 * An invitation link opened before signing in: its token waits in this tab's sessionStorage
 * (not in the URL) while the person signs in or creates an account, then is forgotten once used.
 */
const KEY = 'havre.pendingInvite';

export function pendingInvite(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function keepInvite(token: string): void {
  try {
    sessionStorage.setItem(KEY, token);
  } catch {
    // storage disabled: the link has to be opened again after signing in
  }
}

export function dropInvite(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // nothing kept
  }
}
