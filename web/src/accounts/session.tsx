/**
 * Who is signed in, for the whole app. The session itself is an HttpOnly cookie the page
 * cannot read; a non-secret hint in localStorage (signed-in-hint.ts) says whether one was opened
 * on this device, so anonymous visitors do not ask the server (and get a 401) on every load.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError, sessionEvents } from '../api/client.ts';
import { applyLocale } from '../i18n/i18n.ts';
import { storedLocale, takeChosenSignedOut } from '../i18n/locale.ts';
import { accountsApi, type Me } from './api.ts';
import { readSignedInHint, writeSignedInHint } from './signed-in-hint.ts';

export interface Session {
  /** `loading` until we know whether someone is signed in. */
  status: 'loading' | 'ready';
  me: Me | null;
  /** After sign-up or log-in: remember the user and adopt the account's language. */
  signedIn(me: Me): void;
  /** Replace the user after a change (e.g. language) without touching the language. */
  update(me: Me): void;
  /** After log-out, deletion or an expired session. */
  signedOut(): void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<Session['status']>(() =>
    readSignedInHint() !== null ? 'loading' : 'ready',
  );
  const [me, setMe] = useState<Me | null>(null);

  const signedIn = useCallback((next: Me) => {
    writeSignedInHint(next.id);
    setMe(next);
    setStatus('ready');
    // The account remembers the language chosen on another device — unless this device's was
    // chosen since, while signed out: then it stays, and the account learns it.
    const chosenHere = takeChosenSignedOut() ? storedLocale() : null;
    if (chosenHere && chosenHere !== next.locale) accountsApi.setLocale(chosenHere).then(setMe, () => {});
    else void applyLocale(next.locale);
  }, []);

  const signedOut = useCallback(() => {
    writeSignedInHint(null);
    setMe(null);
    setStatus('ready');
  }, []);

  useEffect(() => {
    sessionEvents.addEventListener('expired', signedOut);
    return () => sessionEvents.removeEventListener('expired', signedOut);
  }, [signedOut]);

  useEffect(() => {
    if (status !== 'loading') return;
    const controller = new AbortController();
    accountsApi.me(controller.signal).then(signedIn, (error: unknown) => {
      if (controller.signal.aborted) return;
      if (error instanceof ApiError && error.status === 401) signedOut();
      else setStatus('ready'); // offline or server down: keep the hint, try again next load
    });
    return () => controller.abort();
  }, [status, signedIn, signedOut]);

  const value = useMemo<Session>(
    () => ({ status, me, signedIn, update: setMe, signedOut }),
    [status, me, signedIn, signedOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
