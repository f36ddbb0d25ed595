/**
 * PWA: what the phone downloads before the SOS button (on the home screen) can be used — the
 * entry chunk of the built app and everything it imports statically (plus the other scripts
 * of index.html), gzipped — and, in full mode, Lighthouse's performance score on its default
 * throttled mobile profile with Debian's Chromium against a Havre instance serving the build.
 * The app is built into a temporary folder (other people may be serving web/dist).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { atExit, startChild } from '../lib/proc.ts';
import type { BenchContext, BenchReport, Row } from '../lib/report.ts';
import { round } from '../lib/stats.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LIGHTHOUSE_VERSION = '12.2.3';
const STATIC_IMPORT = /(?:^|[;}\n])\s*import\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+\.js)["']/g;
const EXPORT_FROM = /(?:^|[;}\n])\s*export\s*[\w$*{}\s,]*?from\s*["']([^"']+\.js)["']/g;

/** The chunk and every chunk it imports statically (not `import()`), as paths under dist. */
export function staticClosure(dist: string, entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join(dist, file), 'utf8');
    for (const re of [STATIC_IMPORT, EXPORT_FROM])
      for (const m of code.matchAll(re)) {
        const spec = m[1];
        visit(spec.startsWith('/') ? spec.slice(1) : posix.join(posix.dirname(file), spec));
      }
  };
  visit(entry);
  return [...seen];
}

const gz = (dist: string, file: string) => gzipSync(readFileSync(join(dist, file))).length;

export async function pwa(ctx: BenchContext): Promise<BenchReport> {
  const rows: Row[] = [];
  const notes: string[] = [];
  const details: Record<string, unknown> = {};
  const out = mkdtempSync(join(tmpdir(), 'havre-bench-web-'));
  atExit(() => rmSync(out, { recursive: true, force: true }));
  const dist = join(out, 'dist');
  try {
    const t0 = Date.now();
    await run(
      join(ROOT, 'node_modules/.bin/vite'),
      ['build', '--config', 'web/vite.config.ts', '--outDir', dist, '--emptyOutDir', '--logLevel', 'warn'],
      {
        cwd: ROOT,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    details.buildSeconds = Math.round((Date.now() - t0) / 1000);
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1].replace(/^\//, ''));
    const entry = [...html.matchAll(/<script[^>]*type="module"[^>]*\ssrc="([^"]+)"/g)].map((m) =>
      m[1].replace(/^\//, ''),
    )[0];
    if (!entry) throw new Error('no module entry in index.html');
    const closure = staticClosure(dist, entry);
    const others = scripts.filter((s) => s !== entry);
    const files = [...closure, ...others];
    const perFile = Object.fromEntries(files.map((f) => [f, gz(dist, f)]));
    const total = Object.values(perFile).reduce((a, b) => a + b, 0);
    details.beforeSos = perFile;
    // After the tap: the SOS page's lazy chunk and what it adds (informational).
    const sosChunk = [
      ...readFileSync(join(dist, entry), 'utf8').matchAll(
        /["']\.?\/?(?:assets\/)?(sos-page-[\w-]+\.js)["']/g,
      ),
    ][0]?.[1];
    if (sosChunk) {
      const sosFiles = staticClosure(dist, posix.join(posix.dirname(entry), sosChunk)).filter(
        (f) => !closure.includes(f),
      );
      details.sosScreenAfterTap = Object.fromEntries(sosFiles.map((f) => [f, gz(dist, f)]));
    }
    const kb = total / 1024;
    rows.push({
      measure: 'JS before the SOS button is usable (entry + static imports + index.html scripts), gzip -6',
      havre: { value: round(kb, 1), valueUnit: 'KB gz' },
      target: '≤ 60 KB',
      pass: kb <= 60,
    });
    ctx.log(`pwa: ${kb.toFixed(1)} KB gzipped JS before the SOS button (${files.length} files)`);

    // ---- Lighthouse ----
    const lhRow: Row = {
      measure: `Lighthouse ${LIGHTHOUSE_VERSION} performance, throttled mobile (Debian Chromium)`,
      havre: {},
      target: '≥ 90',
    };
    if (ctx.quick) {
      notes.push('Lighthouse not measured in --quick (it alone takes about a minute)');
    } else if (!existsSync('/usr/bin/chromium')) {
      notes.push('Lighthouse not measured: /usr/bin/chromium is missing');
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'havre-bench-lh-'));
      atExit(() => rmSync(dir, { recursive: true, force: true }));
      const havre = await startChild('servers/havre.ts', {
        env: {
          HAVRE_DATABASE_URL: `sqlite:${join(dir, 'h.sqlite')}`,
          BENCH_DATA_DIR: dir,
          BENCH_WEB_DIR: dist,
        },
      });
      try {
        const report = join(dir, 'lh.json');
        // HAVRE_LIGHTHOUSE: a lighthouse CLI already installed; else npx fetches the pinned version once.
        const cli = process.env.HAVRE_LIGHTHOUSE;
        const [cmd, pre] = cli ? [cli, []] : ['npx', ['--yes', `lighthouse@${LIGHTHOUSE_VERSION}`]];
        await run(
          cmd,
          [
            ...pre,
            `${havre.ready.url}/`,
            '--only-categories=performance',
            '--output=json',
            `--output-path=${report}`,
            '--quiet',
            '--chrome-flags=--headless --no-sandbox --disable-dev-shm-usage --disable-background-networking --no-first-run',
          ],
          {
            env: { ...process.env, CHROME_PATH: '/usr/bin/chromium' },
            timeout: 240_000,
            maxBuffer: 64 * 1024 * 1024,
          },
        );
        const lh = JSON.parse(readFileSync(report, 'utf8'));
        const score = Math.round((lh.categories?.performance?.score ?? Number.NaN) * 100);
        const audit = (id: string) => round(lh.audits?.[id]?.numericValue ?? Number.NaN, 0);
        details.lighthouse = {
          version: lh.lighthouseVersion,
          formFactor: lh.configSettings?.formFactor,
          throttlingMethod: lh.configSettings?.throttlingMethod,
          fcpMs: audit('first-contentful-paint'),
          lcpMs: audit('largest-contentful-paint'),
          tbtMs: audit('total-blocking-time'),
          cls: lh.audits?.['cumulative-layout-shift']?.numericValue,
          ttiMs: audit('interactive'),
        };
        lhRow.havre = { value: score, valueUnit: '/ 100' };
        lhRow.pass = score >= 90;
        ctx.log(`pwa: Lighthouse performance ${score}`);
      } catch (error) {
        const e = error as Error & { stderr?: string };
        const why = (e.stderr ?? '')
          .split('\n')
          .filter((l) => /error|Error|LH:.*(warn|error)/.test(l))
          .slice(-3)
          .join(' / ');
        notes.push(`Lighthouse not measured: ${why || e.message.split('\n')[0]}`.slice(0, 500));
      } finally {
        await havre.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    }
    rows.push(lhRow);
    return {
      name: 'pwa',
      parameters: {
        build: 'vite build (web/vite.config.ts) into a temporary folder',
        gzip: 'zlib default level 6',
        sosButton: 'home screen (eager route)',
      },
      rows,
      notes,
      details,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
    void dirname;
  }
}
