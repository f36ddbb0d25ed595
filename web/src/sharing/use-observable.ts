/** React hooks that follow an Observable (observable.ts). */
import { useSyncExternalStore } from 'react';
import type { Observable } from './observable.ts';

export function useObservable<S extends object>(source: Observable<S>): S {
  return useSyncExternalStore(source.subscribe, source.get);
}

const noSubscribe = () => () => {};
const nothing = () => null;

/** Same, for an engine that may not exist yet (hooks cannot be called conditionally). */
export function useMaybeObservable<S extends object>(source: Observable<S> | null): S | null {
  return useSyncExternalStore(source ? source.subscribe : noSubscribe, source ? source.get : nothing);
}
