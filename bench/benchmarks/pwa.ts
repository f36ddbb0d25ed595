/**
 * PWA: the JavaScript a phone must run before its SOS works, gzipped, and, in full mode,
 * Lighthouse's performance score (default throttled mobile profile, Debian's Chromium) of the
 * home screen and of the SOS page, against a Havre instance serving the build.
 *
 * The path measured: the home screen's SOS button, then the /sos page, whose countdown sends the
 * alert. For each document: its module entry, every chunk that entry imports statically (not
 * `import()`), and the page's other scripts. The home screen counts 0 KB only when its SOS
 * button is a plain link in index.html itself (usable before any script runs); otherwise its
 * whole entry counts. The app is built into a temporary folder (others may be serving web/dist).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
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

/** A page of the build: its module entry and static imports plus its other scripts; its entry's `import()`s. */
function pageScripts(dist: string, page: string): { files: string[]; lazy: string[] } {
  const html = readFileSync(join(dist, page), 'utf8');
  const scripts = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1].replace(/^\//, ''));
  const entry = html.match(/<script[^>]*type="module"[^>]*\ssrc="([^"]+)"/)?.[1].replace(/^\//, '');
  if (!entry) throw new Error(`no module entry in ${page}`);
  const closure = staticClosure(dist, entry);
  const lazy = [
    ...readFileSync(join(dist, entry), 'utf8').matchAll(/import\(["'`]([^"'`]+\.js)["'`]\)/g),
  ].map((m) => posix.join(posix.dirname(entry), m[1]));
  return { files: [...new Set([...closure, ...scripts.filter((s) => s !== entry)])], lazy };
}

/** One Lighthouse run (performance only, default mobile profile, simulated throttling). */
async function runLighthouse(url: string, report: string) {
  // HAVRE_LIGHTHOUSE: a lighthouse CLI already installed; else npx fetches the pinned version once.
  const cli = process.env.HAVRE_LIGHTHOUSE;
  const [cmd, pre] = cli ? [cli, []] : ['npx', ['--yes', `lighthouse@${LIGHTHOUSE_VERSION}`]];
  await run(
    cmd,
    [
      ...pre,
      url,
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
  const audit = (id: string) => round(lh.audits?.[id]?.numericValue ?? Number.NaN, 0);
  return {
    score: Math.round((lh.categories?.performance?.score ?? Number.NaN) * 100),
    version: lh.lighthouseVersion,
    formFactor: lh.configSettings?.formFactor,
    throttlingMethod: lh.configSettings?.throttlingMethod,
    fcpMs: audit('first-contentful-paint'),
    lcpMs: audit('largest-contentful-paint'),
    tbtMs: audit('total-blocking-time'),
    cls: lh.audits?.['cumulative-layout-shift']?.numericValue,
    ttiMs: audit('interactive'),
    // Bytes on the wire (the server sends the build's .br copies).
    transferKB: round(
      (lh.audits?.['network-requests']?.details?.items ?? []).reduce(
        (sum: number, item: { transferSize?: number }) => sum + (item.transferSize ?? 0),
        0,
      ) / 1024,
      1,
    ),
  };
}

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
    const home = pageScripts(dist, 'index.html');
    const sos = existsSync(join(dist, 'sos.html')) ? pageScripts(dist, 'sos.html') : null;
    // The home screen's SOS button works before any script only if index.html itself has it.
    const homeHtml = readFileSync(join(dist, 'index.html'), 'utf8');
    const staticSos = /<a\b[^>]*\shref="\/sos"/.test(homeHtml.replace(/<script[\s\S]*?<\/script>/g, ''));
    const before = new Set([...(staticSos ? [] : home.files), ...(sos?.files ?? [])]);
    if (!sos) notes.push('no sos.html: /sos is a route of the app; its lazy chunk is not counted');
    const perFile = Object.fromEntries([...before].map((f) => [f, gz(dist, f)]));
    const total = Object.values(perFile).reduce((a, b) => a + b, 0);
    const homeKb = home.files.reduce((sum, f) => sum + gz(dist, f), 0) / 1024;
    details.homeSosIsPlainLink = staticSos;
    details.beforeSos = perFile;
    details.homeScreen = Object.fromEntries(home.files.map((f) => [f, gz(dist, f)]));
    if (sos) {
      // What the SOS page loads during the countdown (the React view of the alert's state): informational.
      const later = sos.lazy.flatMap((f) => staticClosure(dist, f)).filter((f) => !before.has(f));
      details.sosPageAfterCountdownStarts = Object.fromEntries(
        [...new Set(later)].map((f) => [f, gz(dist, f)]),
      );
    }
    const kb = total / 1024;
    rows.push({
      measure: `JS before SOS works: home screen (${staticSos ? 'SOS is a plain link in index.html, 0 KB' : 'its entry + static imports + scripts'}) + the /sos page that sends the alert (entry + static imports + scripts), gzip -6`,
      havre: { value: round(kb, 1), valueUnit: 'KB gz' },
      target: '≤ 60 KB',
      pass: kb <= 60,
    });
    rows.push({
      measure:
        'JS of the home screen (entry + static imports + scripts), gzip -6: the rest of the first screen',
      havre: { value: round(homeKb, 1), valueUnit: 'KB gz' },
      pass: null,
    });
    ctx.log(
      `pwa: ${kb.toFixed(1)} KB gzipped JS before SOS works (${before.size} files); home screen ${homeKb.toFixed(1)} KB`,
    );

    // ---- Lighthouse: the home screen, then the SOS page ----
    const pages = [
      { path: '/', name: 'home screen' },
      ...(sos ? [{ path: '/sos', name: 'SOS page (no account: numbers and refuges)' }] : []),
    ];
    const lhRows: Row[] = pages.map(({ name }) => ({
      measure: `Lighthouse ${LIGHTHOUSE_VERSION} performance, throttled mobile (Debian Chromium): ${name}`,
      havre: {},
      target: '≥ 90',
    }));
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
      const lighthouse: Record<string, unknown> = {};
      details.lighthouse = lighthouse;
      try {
        for (const [i, { path }] of pages.entries()) {
          try {
            lighthouse[path] = await runLighthouse(`${havre.ready.url}${path}`, join(dir, `lh-${i}.json`));
            const score = (lighthouse[path] as { score: number }).score;
            lhRows[i].havre = { value: score, valueUnit: '/ 100' };
            lhRows[i].pass = score >= 90;
            ctx.log(`pwa: Lighthouse performance ${score} (${path})`);
          } catch (error) {
            const e = error as Error & { stderr?: string };
            const why = (e.stderr ?? '')
              .split('\n')
              .filter((l) => /error|Error|LH:.*(warn|error)/.test(l))
              .slice(-3)
              .join(' / ');
            notes.push(`Lighthouse not measured (${path}): ${why || e.message.split('\n')[0]}`.slice(0, 500));
          }
        }
      } finally {
        await havre.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    }
    rows.push(...lhRows);
    return {
      name: 'pwa',
      parameters: {
        build: 'vite build (web/vite.config.ts) into a temporary folder',
        gzip: 'zlib default level 6',
        path: 'home screen SOS button, then the /sos page (sos.html) that sends the alert',
      },
      rows,
      notes,
      details,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
