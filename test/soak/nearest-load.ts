/**
 * The soak's nearest-refuge load in a worker thread of its own (mixed-load.test.ts, started
 * through src/db/ts-worker.mjs): the same open loop as the other workloads (load-clients.ts),
 * timed from send to the answer's last byte, on its own event loop, so that 1,000 requests a
 * second are not timed through the relay's and dashboards' traffic of the main thread (a phone
 * does not share its event loop with 2,000 other clients either).
 *
 * In: workerData {base, perSecond}; messages 'reset' (the warm-up ended: forget the latencies,
 * count skips from now on) and 'stop'. Out, once stopped and drained: a NearestResult.
 */
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { type BeatCount, MAX_IN_FLIGHT, type NearestResult, openLoop } from './load-clients.ts';

const { base, perSecond } = workerData as { base: string; perSecond: number };
const port = parentPort as NonNullable<typeof parentPort>;
// An idle connection is closed by the client before the server's keep-alive timeout (10 s,
// src/server/main.ts) ends it: a request sent on a socket the server is closing at that instant
// fails (ECONNRESET), where a browser would retry it. One of 29,724 requests did so in a CI run.
const agent = new http.Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT, timeout: 5_000 });
const statuses: Record<string, number> = {};
const count: BeatCount = { sent: 0, skipped: 0, warmUpSkipped: 0, perSecond };
let latencies: number[] = [];
let measuring = false;
let inFlight = 0;

function get(path: string): void {
  const started = performance.now();
  inFlight += 1;
  const done = (status: number | 'network') => {
    inFlight -= 1;
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (typeof status === 'number' && status < 300) latencies.push(performance.now() - started);
  };
  http
    .get(`${base}${path}`, { agent }, (res) => {
      res.on('data', () => {});
      res.on('end', () => done(res.statusCode ?? 'network'));
      res.on('error', () => done('network'));
    })
    .on('error', () => done('network'));
}

const timer = openLoop(count, { inFlight: () => inFlight, measuring: () => measuring }, () =>
  get(
    `/api/places/nearest?lat=${(48.86 + Math.random() * 0.04).toFixed(5)}&lon=${(2.3 + Math.random() * 0.06).toFixed(5)}&limit=5`,
  ),
);

port.on('message', async (message) => {
  if (message === 'reset') {
    latencies = [];
    measuring = true;
  }
  if (message !== 'stop') return;
  clearInterval(timer);
  while (inFlight > 0) await new Promise((r) => setTimeout(r, 20));
  agent.destroy();
  const { perSecond: _, ...beats } = count;
  const result: NearestResult = { ...beats, statuses, latencies };
  port.postMessage(result);
  port.close();
});
