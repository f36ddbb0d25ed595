/**
 * Group commit of trail points: points received within `flushMs` (or `maxBatch` of them)
 * are written in one transaction, and each sender is told only after that transaction is
 * durable. One flush at a time; what arrives meanwhile forms the next batch, written once
 * its first point has waited `flushMs` too (or at once when it is full): a commit that takes
 * less than the window does not turn a steady stream into one transaction, and one message
 * to the trail worker and back, per point.
 */
import type { TrailPoint } from './trail-store.ts';

export interface PendingPoint extends TrailPoint {
  /** Called once the point is durable. */
  done?: (() => void) | null;
  /** Who sent it (the socket acknowledged by `durable`, without a closure per point). */
  from?: object;
}

export interface TrailWriterOptions {
  append: (points: TrailPoint[], now: number) => Promise<void>;
  now: () => number;
  onError: (error: unknown, count: number) => void;
  /** Called once per durable batch, after the points' own `done` (grouped acknowledgements). */
  durable?: (batch: PendingPoint[]) => void;
  /** Longest wait before a batch is written, in ms: the ack latency added by batching. */
  flushMs?: number;
  /** A batch this large is written at once. */
  maxBatch?: number;
  /** Positions are coming (a sharer joined): the store may get ready. */
  prepare?: () => void;
}

export class TrailWriter {
  private pending: PendingPoint[] = [];
  /** The batch being written: not durable yet, so still part of any backlog. */
  private writing: PendingPoint[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  /** When the oldest pending point arrived (performance.now(): a window, not a product time). */
  private firstAt = 0;
  /** flush() calls in progress: the window is not waited for meanwhile. */
  private draining = 0;
  private readonly flushMs: number;
  private readonly maxBatch: number;

  constructor(private readonly options: TrailWriterOptions) {
    this.flushMs = options.flushMs ?? 5;
    this.maxBatch = options.maxBatch ?? 512;
  }

  push(point: PendingPoint): void {
    if (this.pending.length === 0) this.firstAt = performance.now();
    this.pending.push(point);
    // A write in progress takes everything that arrived meanwhile as its next batch.
    if (this.flushing) return;
    if (this.pending.length >= this.maxBatch) this.start();
    else this.timer ??= setTimeout(() => this.start(), this.flushMs);
  }

  /** Whether the pending points are due: a full batch, or the oldest waited the window. */
  private due(): boolean {
    return this.pending.length >= this.maxBatch || performance.now() - this.firstAt >= this.flushMs;
  }

  /** A sharer joined: positions will follow. */
  prepare(): void {
    this.options.prepare?.();
  }

  /** Points of `share` received but not yet written (a backlog must not miss them). */
  pendingFor(share: string, afterSeq: number): TrailPoint[] {
    const mine = (p: PendingPoint) => p.share === share && p.seq > afterSeq;
    return [...this.writing.filter(mine), ...this.pending.filter(mine)];
  }

  /** Writes everything pending now, without waiting for the window; resolves when it is durable (or failed). */
  async flush(): Promise<void> {
    this.draining += 1;
    try {
      while (this.pending.length > 0 || this.flushing) {
        this.start();
        await this.flushing;
      }
    } finally {
      this.draining -= 1;
    }
  }

  private start(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.flushing || this.pending.length === 0) return;
    this.flushing = this.run().finally(() => {
      this.flushing = null;
      if (this.pending.length === 0 || this.draining > 0) return;
      if (this.due()) this.start();
      else this.timer ??= setTimeout(() => this.start(), this.flushMs - (performance.now() - this.firstAt));
    });
  }

  /** One write at a time; each takes all that is pending (group commit grows with the load). */
  private async run(): Promise<void> {
    // Called when the pending points are due (or flushed): the first batch goes at once.
    do {
      const batch = this.pending;
      this.pending = [];
      this.writing = batch;
      try {
        await this.options.append(batch, this.options.now());
        this.writing = [];
        for (const point of batch) point.done?.();
        this.options.durable?.(batch);
      } catch (error) {
        this.writing = [];
        // Not acknowledged: the sharer's browser sends these points again.
        this.options.onError(error, batch.length);
      }
    } while (this.pending.length > 0 && (this.draining > 0 || this.due()));
  }

  async close(): Promise<void> {
    await this.flush();
  }
}
