/** Small statistics for the benchmarks: percentiles, paired ratios, rounding. */

export function percentile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * q))];
}

export const median = (values: ArrayLike<number>) => percentile(values, 0.5);

/** Rounds to `digits` significant-ish decimals for the JSON file (keeps it readable). */
export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function summarize(latenciesMs: ArrayLike<number>): LatencySummary {
  let max = 0;
  for (let i = 0; i < latenciesMs.length; i++) if (latenciesMs[i] > max) max = latenciesMs[i];
  return {
    count: latenciesMs.length,
    p50Ms: round(percentile(latenciesMs, 0.5)),
    p90Ms: round(percentile(latenciesMs, 0.9)),
    p99Ms: round(percentile(latenciesMs, 0.99)),
    maxMs: round(max),
  };
}

/** A growable list of numbers (latencies) without boxing. */
export class Samples {
  private data = new Float64Array(1024);
  length = 0;
  push(v: number) {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  values(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
