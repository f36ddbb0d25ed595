/**
 * Inside a benchmarked server: how long its event loop was blocked, and by which garbage
 * collections, over one phase. Meaningful even on a loaded machine, where a client's latency
 * mixes the server's stalls with the time the generators and other work held the CPU: a
 * stall of the server's own loop shows here as a long delay, a busy machine mostly does not.
 *
 * Long ticks are also listed with the instant they ended (ms since `reset`), to line them up
 * with a CPU profile of the same phase.
 */
import { type IntervalHistogram, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

export interface LoopStats {
  /** Event-loop delay (ms): how late a 1 ms timer fired. */
  delayMaxMs: number;
  delayP99Ms: number;
  delayMeanMs: number;
  /** Ticks that blocked the loop ≥ 10 ms: [end, ms] since the phase began. */
  longTicks: [number, number][];
  gc: Record<string, { count: number; totalMs: number; maxMs: number }>;
}

const KINDS: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb' };

export function loopWatch() {
  let histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 1 });
  let gc: LoopStats['gc'] = {};
  let longTicks: [number, number][] = [];
  let t0 = performance.now();
  let last = t0;
  // A 1 ms beat: a gap well over it is a tick that held the loop.
  const beat = setInterval(() => {
    const now = performance.now();
    if (now - last >= 11 && longTicks.length < 500)
      longTicks.push([Math.round(now - t0), Math.round(now - last - 1)]);
    last = now;
  }, 1);
  beat.unref();
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const detail = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail;
      const kind = KINDS[detail?.kind ?? 0] ?? 'other';
      const k = gc[kind] ?? { count: 0, totalMs: 0, maxMs: 0 };
      gc[kind] = k;
      k.count += 1;
      k.totalMs += entry.duration;
      k.maxMs = Math.max(k.maxMs, entry.duration);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  histogram.enable();
  return {
    reset() {
      histogram.disable();
      histogram = monitorEventLoopDelay({ resolution: 1 });
      histogram.enable();
      gc = {};
      longTicks = [];
      t0 = performance.now();
      last = t0;
      return null;
    },
    read(): LoopStats {
      const ms = (ns: number) => Math.round(ns / 1e4) / 100;
      for (const k of Object.values(gc)) {
        k.totalMs = Math.round(k.totalMs * 10) / 10;
        k.maxMs = Math.round(k.maxMs * 10) / 10;
      }
      return {
        delayMaxMs: ms(histogram.max),
        delayP99Ms: ms(histogram.percentile(99)),
        delayMeanMs: ms(histogram.mean),
        longTicks,
        gc,
      };
    },
  };
}
