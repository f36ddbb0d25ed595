/** A tiny observable state for engines that outlive a screen (the sharer, the watcher). */
import { useSyncExternalStore } from 'react';

export class Observable<S extends object> {
  private readonly listeners = new Set<() => void>();

  constructor(private current: S) {}

  readonly get = (): S => this.current;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  protected set(patch: Partial<S>): void {
    this.current = { ...this.current, ...patch };
    for (const listener of this.listeners) listener();
  }
}

export function useObservable<S extends object>(source: Observable<S>): S {
  return useSyncExternalStore(source.subscribe, source.get);
}

const noSubscribe = () => () => {};
const nothing = () => null;

/** Same, for an engine that may not exist yet (hooks cannot be called conditionally). */
export function useMaybeObservable<S extends object>(source: Observable<S> | null): S | null {
  return useSyncExternalStore(source ? source.subscribe : noSubscribe, source ? source.get : nothing);
}
