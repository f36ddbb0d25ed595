/** The shape of a benchmark's result, as printed and as written to bench/results/latest.json. */

export interface Figures {
  /** Operations per second (queries, requests, reports, deliveries). */
  throughput?: number;
  unit?: string;
  p50Ms?: number;
  p99Ms?: number;
  /** A single value when the measure is not a rate (bytes, KB per socket, ms). */
  value?: number;
  valueUnit?: string;
}

export interface Row {
  measure: string;
  havre: Figures;
  peer?: Figures & { name: string };
  /** Havre relative to the peer; `ratioMeaning` says which way. */
  ratio?: number;
  ratioMeaning?: string;
  target?: string;
  /** null: measured, no target; undefined: not measured. */
  pass?: boolean | null;
}

export interface BenchReport {
  name: string;
  parameters: Record<string, unknown>;
  rows: Row[];
  /** Peak resident memory of the Havre process (or the runner for in-process work), MB. */
  peakMemoryMB?: number;
  notes: string[];
  details?: Record<string, unknown>;
}

export interface BenchContext {
  quick: boolean;
  log(message: string): void;
}

export type Benchmark = (ctx: BenchContext) => Promise<BenchReport>;

const n = (v: number | undefined, digits = 0) =>
  v === undefined || !Number.isFinite(v) ? '' : v.toLocaleString('en', { maximumFractionDigits: digits });

export function formatFigures(f: Figures | undefined): string {
  if (!f) return '—';
  const parts: string[] = [];
  if (f.throughput !== undefined) parts.push(`${n(f.throughput)} ${f.unit ?? '/s'}`);
  if (f.value !== undefined) parts.push(`${n(f.value, 2)} ${f.valueUnit ?? ''}`.trim());
  if (f.p50Ms !== undefined) parts.push(`p50 ${n(f.p50Ms, 2)} ms`);
  if (f.p99Ms !== undefined) parts.push(`p99 ${n(f.p99Ms, 2)} ms`);
  return parts.join(', ') || '—';
}

export function formatTable(reports: BenchReport[]): string {
  const header = ['benchmark', 'measure', 'Havre', 'peer', 'ratio', 'target', 'pass'];
  const lines: string[][] = [];
  for (const r of reports)
    for (const row of r.rows)
      lines.push([
        r.parameters.mode === 'quick' ? `${r.name} (quick)` : r.name,
        row.measure,
        formatFigures(row.havre),
        row.peer ? `${row.peer.name}: ${formatFigures(row.peer)}` : '—',
        row.ratio === undefined
          ? '—'
          : `${row.ratio.toFixed(2)}×${row.ratioMeaning ? ` (${row.ratioMeaning})` : ''}`,
        row.target ?? '—',
        row.pass === undefined ? 'not measured' : row.pass === null ? '—' : row.pass ? 'PASS' : 'MISS',
      ]);
  return markdownTable(header, lines);
}

export function markdownTable(header: string[], lines: string[][]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...lines.map((l) => `| ${l.map(esc).join(' | ')} |`),
  ].join('\n');
}
