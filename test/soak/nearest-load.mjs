/**
 * The soak's nearest-refuge load in a worker thread of its own (mixed-load.test.ts): the same
 * open loop as the other workloads (what is due on a 10 ms clock; a beat skipped when 200 of its
 * requests are in flight), timed from send to the answer's last byte, on its own event loop, so
 * that 1,000 requests a second are not timed through the relay's and dashboards' traffic of the
 * main thread (a phone does not share its event loop with 2,000 other clients either).
 *
 * In: workerData {base, perSecond}; messages 'reset' (the warm-up ended: forget the latencies,
 * count skips from now on) and 'stop'. Out, once stopped and drained: {sent, skipped,
 * warmUpSkipped, statuses: {status: n}, latencies} (load-clients.ts, NearestResult).
 */
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { base, perSecond } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: 200 });
const statuses = {};
let latencies = [];
let sent = 0;
let skipped = 0;
let warmUpSkipped = 0;
let measuring = false;
let inFlight = 0;

function get(path) {
  const started = performance.now();
  inFlight += 1;
  const done = (status) => {
    inFlight -= 1;
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (typeof status === 'number' && status < 300) latencies.push(performance.now() - started);
  };
  http
    .get(`${base}${path}`, { agent }, (res) => {
      res.on('data', () => {});
      res.on('end', () => done(res.statusCode));
      res.on('error', () => done('network'));
    })
    .on('error', () => done('network'));
}

const from = performance.now();
const timer = setInterval(() => {
  const due = Math.floor(((performance.now() - from) / 1000) * perSecond);
  while (sent + skipped + warmUpSkipped < due) {
    if (inFlight >= 200) {
      if (measuring) skipped += 1;
      else warmUpSkipped += 1;
      continue;
    }
    sent += 1;
    get(
      `/api/places/nearest?lat=${(48.86 + Math.random() * 0.04).toFixed(5)}&lon=${(2.3 + Math.random() * 0.06).toFixed(5)}&limit=5`,
    );
  }
}, 10);

parentPort.on('message', async (message) => {
  if (message === 'reset') {
    latencies = [];
    measuring = true;
  }
  if (message !== 'stop') return;
  clearInterval(timer);
  while (inFlight > 0) await new Promise((r) => setTimeout(r, 20));
  agent.destroy();
  parentPort.postMessage({ sent, skipped, warmUpSkipped, statuses, latencies });
  parentPort.close();
});
