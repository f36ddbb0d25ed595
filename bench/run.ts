/**
 * `npm run bench [-- NAME…] [--quick]`: runs the benchmarks (all, or those named), prints a
 * table and writes bench/results/latest.json. Every benchmark starts what it needs and stops
 * it (child processes, Mosquitto, temporary databases), also when interrupted.
 * Full run < 15 min, --quick < 2 min. See bench/README.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { heatmap } from './benchmarks/heatmap.ts';
import { intake } from './benchmarks/intake.ts';
import { nearest } from './benchmarks/nearest.ts';
import { pwa } from './benchmarks/pwa.ts';
import { relay } from './benchmarks/relay.ts';
import { machine } from './lib/machine.ts';
import { releasePostgres } from './lib/pg.ts';
import { type Benchmark, type BenchReport, formatTable } from './lib/report.ts';

const ALL: Record<string, Benchmark> = { nearest, heatmap, intake, relay, pwa };

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const names = argv.filter((a) => !a.startsWith('--'));
const unknown = names.filter((n) => !(n in ALL));
if (unknown.length) {
  process.stderr.write(
    `unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(ALL).join(', ')}\n`,
  );
  process.exit(2);
}
const selected = names.length ? names : Object.keys(ALL);
const started = Date.now();
const log = (m: string) =>
  process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${m}\n`);

const reports: BenchReport[] = [];
const failures: { name: string; error: string }[] = [];
for (const name of selected) {
  log(`${name}${quick ? ' (quick)' : ''}…`);
  const t0 = Date.now();
  try {
    const report = await ALL[name]({ quick, log: (m) => log(`  ${m}`) });
    report.details = { ...report.details, seconds: Math.round((Date.now() - t0) / 1000) };
    report.parameters = {
      mode: quick ? 'quick' : 'full',
      measuredAt: new Date().toISOString(),
      ...report.parameters,
    };
    reports.push(report);
  } catch (error) {
    log(`  ${name} failed: ${(error as Error).stack ?? error}`);
    failures.push({ name, error: String((error as Error).message ?? error) });
  }
}
releasePostgres();

const result = {
  date: new Date().toISOString(),
  mode: quick ? 'quick' : 'full',
  seconds: Math.round((Date.now() - started) / 1000),
  machine: machine(),
  benchmarks: reports,
  failures,
};
const dir = fileURLToPath(new URL('results/', import.meta.url));
mkdirSync(dir, { recursive: true });
const file = `${dir}latest.json`;
// A run of some benchmarks only keeps the others' latest figures.
let merged = result;
if (names.length) {
  try {
    const { readFileSync } = await import('node:fs');
    const previous = JSON.parse(readFileSync(file, 'utf8'));
    const kept = (previous.benchmarks as BenchReport[]).filter((b) => !selected.includes(b.name));
    merged = { ...result, benchmarks: [...kept, ...reports] };
  } catch {}
}
writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
const m = merged.machine;
// Figures kept from earlier runs say when they were measured: the machine's speed drifts.
const kept = merged.benchmarks
  .filter((b) => !selected.includes(b.name))
  .map((b) => `${b.name} (${b.parameters.measuredAt ?? 'an earlier run'})`);
const keptNote = kept.length ? `; kept from earlier runs: ${kept.join(', ')}` : '';
writeFileSync(
  `${dir}latest.md`,
  `Run of ${merged.date} (${merged.mode}), ${m.cpuModel} × ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}${keptNote}\n\n${formatTable(merged.benchmarks)}\n\n${merged.benchmarks
    .flatMap((r) => r.notes.map((n) => `- ${r.name}: ${n}`))
    .join('\n')}\n`,
);
process.stdout.write(`\n${formatTable(reports)}\n\n`);
for (const r of reports) for (const note of r.notes) process.stdout.write(`- ${r.name}: ${note}\n`);
for (const f of failures) process.stdout.write(`- ${f.name}: FAILED ${f.error}\n`);
process.stdout.write(`\n${reports.length} benchmark(s) in ${result.seconds} s → ${file}\n`);
process.exit(failures.length ? 1 : 0);
