/**
 * The soak's measuring clients: a tally of answers and latencies per kind of request, and a
 * dashboard's live feed that resolves when the territory's count reaches a value.
 */
import http from 'node:http';

/** The q-quantile of a list (nearest rank), NaN when empty. */
export function p(list: number[], q: number): number {
  if (list.length === 0) return Number.NaN;
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** An open-loop workload's beats: each one sent, or skipped (MAX_IN_FLIGHT requests in flight). */
export interface BeatCount {
  sent: number;
  /** Skipped once the warm-up ended: a timing miss. */
  skipped: number;
  warmUpSkipped: number;
  perSecond: number;
}

/** Beats due so far: sent or skipped, in the warm-up or after. */
export const beats = (c: Omit<BeatCount, 'perSecond'>): number => c.sent + c.skipped + c.warmUpSkipped;

/** Requests of one client in flight beyond which a due beat is skipped rather than sent. */
export const MAX_IN_FLIGHT = 200;

/**
 * The soak's open loop, for every workload (the nearest-refuge thread's too): on a 10 ms clock,
 * each beat its rate says is due is sent, or skipped when MAX_IN_FLIGHT requests are in flight
 * — a timing miss, counted apart during the warm-up (its latencies are dropped too).
 */
export function openLoop(
  count: BeatCount,
  client: { inFlight(): number; measuring(): boolean },
  send: (n: number) => void,
): NodeJS.Timeout {
  const from = performance.now();
  return setInterval(() => {
    const due = Math.floor(((performance.now() - from) / 1000) * count.perSecond);
    while (beats(count) < due) {
      if (client.inFlight() < MAX_IN_FLIGHT) send(count.sent++);
      else if (client.measuring()) count.skipped += 1;
      else count.warmUpSkipped += 1;
    }
  }, 10);
}

/** What the nearest-refuge load thread (nearest-load.ts) answers once stopped. */
export interface NearestResult extends Omit<BeatCount, 'perSecond'> {
  statuses: Record<string, number>;
  latencies: number[];
}

export class Tally {
  readonly statuses = new Map<string, number>();
  /** Latencies of successful answers (2xx), per kind. */
  readonly latencies = new Map<string, number[]>();
  readonly fiveHundreds: string[] = [];
  count(kind: string, status: number | 'network', ms: number) {
    const key = `${kind} ${status}`;
    this.statuses.set(key, (this.statuses.get(key) ?? 0) + 1);
    if (typeof status === 'number' && status >= 500) this.fiveHundreds.push(key);
    if (typeof status === 'number' && status < 300) this.sample(kind, ms);
  }
  /** Answers counted elsewhere (a load thread): statuses by code, latencies of the 2xx. */
  merge(kind: string, statuses: Record<string, number>, latencies: number[]) {
    for (const [status, n] of Object.entries(statuses)) {
      const key = `${kind} ${status}`;
      this.statuses.set(key, (this.statuses.get(key) ?? 0) + n);
      if (Number(status) >= 500) for (let i = 0; i < n; i++) this.fiveHundreds.push(key);
    }
    for (const ms of latencies) this.sample(kind, ms);
  }
  sample(kind: string, ms: number) {
    const list = this.latencies.get(kind) ?? [];
    list.push(ms);
    this.latencies.set(kind, list);
  }
  p99 = (kind: string) => p(this.latencies.get(kind) ?? [], 0.99);
  summary(): string {
    const lines = [...this.latencies]
      .filter(([, list]) => list.length > 0)
      .map(
        ([kind, list]) =>
          `${kind}: n=${list.length} p50=${p(list, 0.5).toFixed(2)} ms p99=${p(list, 0.99).toFixed(2)} ms max=${p(list, 1).toFixed(1)} ms`,
      );
    return [...lines, `statuses: ${JSON.stringify(Object.fromEntries(this.statuses))}`].join('\n');
  }
}

/** A dashboard's live feed: the territory's total (+ held) as the last event said. */
export function liveFeed(base: string, code: string, token: string) {
  const state = { count: -1, waiters: [] as { n: number; done: () => void }[], bytes: 0 };
  const request = http.get(`${base}/api/territories/${code}/live`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const ready = new Promise<void>((resolve, reject) => {
    request.on('error', reject);
    request.on('response', (response) => {
      if (response.statusCode !== 200) return reject(new Error(`live feed: ${response.statusCode}`));
      let buffer = '';
      response.setEncoding('utf8');
      response.on('error', () => {});
      response.on('data', (chunk: string) => {
        state.bytes += chunk.length;
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const data = buffer
            .slice(0, end)
            .split('\n')
            .find((l) => l.startsWith('data: '));
          buffer = buffer.slice(end + 2);
          if (!data) continue;
          const body = JSON.parse(data.slice(6)) as { total?: number; held?: number };
          if (typeof body.total !== 'number') continue;
          state.count = body.total + (body.held ?? 0);
          for (const w of state.waiters.filter((x) => state.count >= x.n)) {
            state.waiters.splice(state.waiters.indexOf(w), 1);
            w.done();
          }
          resolve();
        }
      });
    });
  });
  return {
    ready,
    state,
    reach: (n: number) =>
      state.count >= n ? Promise.resolve() : new Promise<void>((done) => state.waiters.push({ n, done })),
    close: () => request.destroy(),
  };
}
