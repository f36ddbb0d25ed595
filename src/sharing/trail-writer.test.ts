import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TrailPoint } from './trail-store.ts';
import { TrailWriter } from './trail-writer.ts';

/** An append that takes `ms` per call, recording the batch sizes. */
function slowAppend(ms: number, fail = false) {
  const batches: number[] = [];
  const append = async (points: TrailPoint[]) => {
    batches.push(points.length);
    await new Promise((r) => setTimeout(r, ms));
    if (fail) throw new Error('disk full');
  };
  return { batches, append };
}

const point = (seq: number, done?: () => void) => ({ share: 's', seq, c: 'AA', done });

describe('trail writer (group commit)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('acknowledges a point only after the write that holds it has finished', async () => {
    const store = slowAppend(20);
    const writer = new TrailWriter({ append: store.append, now: () => 0, onError: () => {} });
    const acked: number[] = [];
    writer.push(point(1, () => acked.push(1)));
    expect(acked).toEqual([]);
    await writer.flush();
    expect(acked).toEqual([1]);
  });

  it('writes what arrives during a write as one next batch, not one write per point', async () => {
    const store = slowAppend(20);
    const writer = new TrailWriter({ append: store.append, now: () => 0, onError: () => {}, maxBatch: 4 });
    for (let seq = 0; seq < 4; seq++) writer.push(point(seq)); // reaches maxBatch: write starts
    for (let seq = 4; seq < 1000; seq++) writer.push(point(seq));
    await writer.flush();
    expect(store.batches).toEqual([4, 996]);
  });

  it('writes a steady stream in batches of the window, even when a write takes less than the window', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const store = slowAppend(2); // a commit (and the trip to the worker) shorter than the window
    const writer = new TrailWriter({ append: store.append, now: () => 0, onError: () => {}, flushMs: 10 });
    const acked: number[] = [];
    for (let seq = 0; seq < 100; seq++) {
      writer.push(point(seq, () => acked.push(seq)));
      await vi.advanceTimersByTimeAsync(1); // one point a millisecond
    }
    const flushed = writer.flush();
    await vi.advanceTimersByTimeAsync(10);
    await flushed;
    expect(acked).toHaveLength(100);
    // One transaction per window (~10 points), not one per commit time (~2 points).
    expect(store.batches.length).toBeLessThanOrEqual(12);
    expect(Math.max(...store.batches)).toBeLessThanOrEqual(12); // and no point waits much longer
  });

  it('does not acknowledge points whose write failed, and reports them', async () => {
    const store = slowAppend(1, true);
    const failures: number[] = [];
    const writer = new TrailWriter({
      append: store.append,
      now: () => 0,
      onError: (_e, n) => failures.push(n),
    });
    const acked: number[] = [];
    writer.push(point(1, () => acked.push(1)));
    await writer.flush();
    expect(acked).toEqual([]);
    expect(failures).toEqual([1]);
  });

  it('keeps unwritten points visible for backlogs', () => {
    const writer = new TrailWriter({
      append: async () => {},
      now: () => 0,
      onError: () => {},
      flushMs: 1000,
    });
    writer.push(point(1));
    writer.push({ share: 'other', seq: 2, c: 'AA' });
    writer.push(point(3));
    expect(writer.pendingFor('s', 1).map((p) => p.seq)).toEqual([3]);
    return writer.close();
  });
});
