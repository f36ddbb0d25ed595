/**
 * Group commit of trail points: points received within `flushMs` (or `maxBatch` of them)
 * are written in one transaction, and each sender is told only after that transaction is
 * durable. One flush at a time; what arrives meanwhile forms the next batch.
 */
import type { TrailPoint } from './trail-store.ts';

export interface PendingPoint extends TrailPoint {
  /** Called once the point is durable. */
  done?: (() => void) | null;
}

export interface TrailWriterOptions {
  append: (points: TrailPoint[], now: number) => Promise<void>;
  now: () => number;
  onError: (error: unknown, count: number) => void;
  /** Longest wait before a batch is written, in ms: the ack latency added by batching. */
  flushMs?: number;
  /** A batch this large is written at once. */
  maxBatch?: number;
}

export class TrailWriter {
  private pending: PendingPoint[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private readonly flushMs: number;
  private readonly maxBatch: number;

  constructor(private readonly options: TrailWriterOptions) {
    this.flushMs = options.flushMs ?? 5;
    this.maxBatch = options.maxBatch ?? 512;
  }

  push(point: PendingPoint): void {
    this.pending.push(point);
    if (this.pending.length >= this.maxBatch) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.flushMs);
  }

  /** Points of `share` received but not yet written (a backlog must not miss them). */
  pendingFor(share: string, afterSeq: number): TrailPoint[] {
    return this.pending.filter((p) => p.share === share && p.seq > afterSeq);
  }

  /** Writes everything pending; resolves when it is durable (or failed). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.flushing) await this.flushing;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.flushing = (async () => {
      try {
        await this.options.append(batch, this.options.now());
        for (const point of batch) point.done?.();
      } catch (error) {
        // Not acknowledged: the sharer's browser sends these points again.
        this.options.onError(error, batch.length);
      }
    })();
    try {
      await this.flushing;
    } finally {
      this.flushing = null;
    }
    if (this.pending.length > 0) this.timer ??= setTimeout(() => void this.flush(), this.flushMs);
  }

  async close(): Promise<void> {
    await this.flush();
  }
}
