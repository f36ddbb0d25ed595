/**
 * Who is signed in, for the whole app. The session itself is an HttpOnly cookie the page
 * cannot read; a non-secret hint in localStorage (signed-in-hint.ts) says whether one was opened
 * on this device, so anonymous visitors do not ask the server (and get a 401) on every load.
 * While the network is down the last session seen stays (last-session.ts), marked `offline`,
 * and is checked again once the network is back; only a 401 signs out.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { sessionEvents } from '../api/client.ts';
import { applyLocale } from '../i18n/i18n.ts';
import { deviceLocale, takeChosenSignedOut } from '../i18n/locale.ts';
import { accountsApi, type Me } from './api.ts';
import {
  afterSessionCheck,
  forgetSession,
  lastSession,
  rememberSession,
  shouldAskServer,
} from './last-session.ts';
import { readSignedInHint, writeSignedInHint } from './signed-in-hint.ts';

/** While offline, the session is checked again this often (the `online` event may not come). */
const RECHECK_OFFLINE_MS = 30_000;

export interface Session {
  /** `loading` until we know whether someone is signed in. */
  status: 'loading' | 'ready';
  me: Me | null;
  /** The server could not be reached: `me` is the last session this device saw, not confirmed. */
  offline: boolean;
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
  const [offline, setOffline] = useState(false);
  /** Bumped to ask the server again (back online). */
  const [checks, setChecks] = useState(0);

  const update = useCallback((next: Me) => {
    rememberSession(next);
    setMe(next);
  }, []);

  const signedIn = useCallback(
    (next: Me) => {
      writeSignedInHint(next.id);
      update(next);
      setOffline(false);
      setStatus('ready');
      // The account remembers the language chosen on another device — unless this device's was
      // chosen since, while signed out: then it stays, and the account learns it.
      const chosenHere = takeChosenSignedOut() ? deviceLocale() : null;
      if (chosenHere && chosenHere !== next.locale) accountsApi.setLocale(chosenHere).then(update, () => {});
      else void applyLocale(next.locale);
    },
    [update],
  );

  const signedOut = useCallback(() => {
    writeSignedInHint(null);
    forgetSession();
    setMe(null);
    setOffline(false);
    setStatus('ready');
  }, []);

  useEffect(() => {
    sessionEvents.addEventListener('expired', signedOut);
    return () => sessionEvents.removeEventListener('expired', signedOut);
  }, [signedOut]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `checks` only asks for another check
  useEffect(() => {
    if (!shouldAskServer({ status, offline, browserOnline: navigator.onLine !== false })) return;
    const controller = new AbortController();
    accountsApi.me(controller.signal).then(
      (fresh) => signedIn(fresh),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const check = afterSessionCheck({ error }, lastSession(readSignedInHint()));
        if (check.kind === 'signed-out') return signedOut();
        // Offline or server away: keep the hint and who we knew, and try again later.
        setMe((current) => current ?? (check.kind === 'offline' ? check.me : null));
        setOffline(true);
        setStatus('ready');
      },
    );
    return () => controller.abort();
  }, [status, offline, checks, signedIn, signedOut]);

  useEffect(() => {
    const again = () => setChecks((n) => n + 1);
    // A signed-in person learns at once that the page is offline; back online, the server decides.
    const wentOffline = () => {
      if (readSignedInHint() !== null) setOffline(true);
    };
    window.addEventListener('online', again);
    window.addEventListener('offline', wentOffline);
    const timer = offline ? setInterval(again, RECHECK_OFFLINE_MS) : undefined;
    return () => {
      window.removeEventListener('online', again);
      window.removeEventListener('offline', wentOffline);
      clearInterval(timer);
    };
  }, [offline]);

  const value = useMemo<Session>(
    () => ({ status, me, offline, signedIn, update, signedOut }),
    [status, me, offline, signedIn, update, signedOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
