/**
 * Nearest refuge, in process: 5 nearest places open now among 100,000 random places in
 * France, against raw geokdbush (5 nearest, no filter) on the same points and queries, in
 * the same run, alternating rounds (this machine's speed drifts). Prints the ratio.
 *
 *   npx tsx bench/nearest.ts [--places 100000] [--queries 20000] [--rounds 7]
 */
import { around } from 'geokdbush';
import { compileHours } from '../src/places/hours/compile.ts';
import { zoneAt } from '../src/places/hours/zones.ts';
import { type IndexedPlace, PlacesIndex } from '../src/places/index/places-index.ts';
import { PLACE_KINDS } from '../src/places/kinds.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('places', 100_000);
const Q = arg('queries', 20_000);
const ROUNDS = arg('rounds', 7);

// A deterministic generator, so runs compare.
let seed = 42;
const rand = () => {
  seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
  return seed / 0x7fffffff;
};

// A realistic mix: many unknown hours (most police records), bars, offices, shops, 24/7.
const HOURS: [string | null, number][] = [
  [null, 0.3],
  ['Mo-Sa 17:00-02:00; PH off', 0.2],
  ['Mo-Fr 08:00-12:00,14:00-18:00', 0.15],
  ['24/7', 0.1],
  ['Mo-Sa 10:00-19:30; Su off; PH off', 0.1],
  ['Tu-Sa 12:00-14:30,19:00-23:30', 0.1],
  ['Mo-Su 07:30-23:30', 0.05],
];
const pickHours = () => {
  let r = rand();
  for (const [value, p] of HOURS) {
    r -= p;
    if (r < 0) return value;
  }
  return null;
};

const places: IndexedPlace[] = [];
for (let i = 0; i < N; i++) {
  const lat = 42.5 + rand() * 8.5;
  const lon = -4.5 + rand() * 12;
  places.push({
    id: `p${i}`,
    name: `Place ${i}`,
    kind: PLACE_KINDS[Math.floor(rand() * PLACE_KINDS.length)],
    lat,
    lon,
    address: null,
    phone: null,
    partner: rand() < 0.2,
    trainingExpiresAt: null,
    closedUntil: rand() < 0.01 ? Date.parse('2030-01-01T00:00:00Z') : null,
    hours: compileHours(pickHours(), zoneAt(lat, lon)),
  });
}
const t0 = performance.now();
const index = new PlacesIndex(places);
const buildMs = performance.now() - t0;
const queries = Array.from({ length: Q }, () => [42.5 + rand() * 8.5, -4.5 + rand() * 12]);

const INSTANTS = {
  'Saturday 22:00': Date.parse('2026-11-28T21:00:00Z'),
  'Sunday 04:00': Date.parse('2026-11-29T03:00:00Z'),
};

function timeIt(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * q)];

// Small batches, alternating which runs first: the machine's speed drifts within seconds,
// so each batch gives a paired ratio and we report the median of those ratios.
const BATCH = 1000;
console.log(
  `places ${N}, queries ${Q} per round × ${ROUNDS} rounds in batches of ${BATCH}; index built in ${buildMs.toFixed(0)} ms`,
);
const results: Record<string, unknown> = {};
for (const [label, at] of Object.entries(INSTANTS)) {
  const open = places.filter((_, i) => index.openAt(i, at) === true).length;
  const raw: number[] = [];
  const filteredRatio: number[] = [];
  const fullRatio: number[] = [];
  let rawMs = 0;
  let filteredMs = 0;
  let fullMs = 0;
  let sink = 0;
  for (let round = 0; round < ROUNDS + 1; round++) {
    for (let b = 0; b < Q; b += BATCH) {
      const batch = queries.slice(b, b + BATCH);
      const runRaw = () =>
        timeIt(() => {
          for (const [lat, lon] of batch) sink += around(index.kd, lon, lat, 5).length;
        });
      const runFiltered = () =>
        timeIt(() => {
          for (const [lat, lon] of batch) {
            // A predicate per query, as a request would build it.
            const predicate = index.predicate({ at, openOnly: true });
            sink += around(index.kd, lon, lat, 5, Number.POSITIVE_INFINITY, predicate).length;
          }
        });
      const runFull = () =>
        timeIt(() => {
          for (const [lat, lon] of batch)
            sink += index.nearest(lat, lon, { at, limit: 5, openOnly: true }).length;
        });
      const first = (b / BATCH) % 2 === 0;
      const r1 = first ? runRaw() : 0;
      const f = runFiltered();
      const n = runFull();
      const r = first ? r1 : runRaw();
      if (round === 0) continue; // warm-up
      raw.push(r);
      filteredRatio.push(f / r);
      fullRatio.push(n / r);
      rawMs += r;
      filteredMs += f;
      fullMs += n;
    }
  }
  const total = ROUNDS * Q;
  const qps = (ms: number) => Math.round((total / ms) * 1000);
  console.log(`\n${label}: ${((open / N) * 100).toFixed(0)} % of places open (sink ${sink})`);
  console.log(`  raw geokdbush, 5 nearest                 ${qps(rawMs).toLocaleString('en')} q/s`);
  console.log(
    `  geokdbush + open-now predicate           ${qps(filteredMs).toLocaleString('en')} q/s  ratio median ${median(filteredRatio).toFixed(2)}× (p10 ${p(filteredRatio, 0.1).toFixed(2)}, p90 ${p(filteredRatio, 0.9).toFixed(2)})`,
  );
  console.log(
    `  PlacesIndex.nearest (openOnly, distances) ${qps(fullMs).toLocaleString('en')} q/s  ratio median ${median(fullRatio).toFixed(2)}× (p10 ${p(fullRatio, 0.1).toFixed(2)}, p90 ${p(fullRatio, 0.9).toFixed(2)})`,
  );
  results[label] = {
    openShare: open / N,
    rawQps: qps(rawMs),
    filteredQps: qps(filteredMs),
    fullQps: qps(fullMs),
    filteredRatioMedian: median(filteredRatio),
    fullRatioMedian: median(fullRatio),
  };
}
if (process.argv.includes('--json'))
  console.log(JSON.stringify({ places: N, queries: Q, rounds: ROUNDS, results }));
