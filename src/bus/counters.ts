/**
 * Windowed counters (login throttling, quotas). In memory by default; Redis at scale.
 */
export interface Counters {
  /** Adds 1 to `key` and returns the new count within the current window of `windowMs`. */
  hit(key: string, windowMs: number): Promise<number>;
  get(key: string): Promise<number>;
  reset(key: string): Promise<void>;
  close?(): Promise<void>;
}

export class MemoryCounters implements Counters {
  private readonly entries = new Map<string, { count: number; expiresAt: number }>();
  constructor(private readonly now: () => number = Date.now) {}

  async hit(key: string, windowMs: number): Promise<number> {
    const now = this.now();
    const entry = this.entries.get(key);
    if (!entry || entry.expiresAt <= now) {
      this.sweep(now);
      this.entries.set(key, { count: 1, expiresAt: now + windowMs });
      return 1;
    }
    entry.count += 1;
    return entry.count;
  }

  async get(key: string): Promise<number> {
    const entry = this.entries.get(key);
    return entry && entry.expiresAt > this.now() ? entry.count : 0;
  }

  async reset(key: string): Promise<void> {
    this.entries.delete(key);
  }

  /** Keeps memory bounded: expired keys go when a new key is created. */
  private sweep(now: number): void {
    if (this.entries.size < 10_000) return;
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
