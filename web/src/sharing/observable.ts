/**
 * A tiny observable state for engines that outlive a screen (the sharer, the watcher, the SOS).
 * No React here: the SOS page's entry uses it before React loads (hooks: use-observable.ts).
 */

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
