/**
 * A real Havre for browser journeys: the built PWA (rebuilt when its sources are newer) served
 * by the real server, on a free port, with a temporary SQLite database seeded with the demo data.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedDemo } from '../../../src/demo/seed.ts';
import { loadConfig } from '../../../src/server/config.ts';
import { type Running, startServer } from '../../../src/server/main.ts';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const WEB_DIST = join(ROOT, 'web/dist');

/** Newest modification time under `dir` (build output and dependencies excluded). */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds web/dist once if it is missing or older than the web sources (or the limits they import). */
export function ensureWebBuilt(): void {
  const index = join(WEB_DIST, 'index.html');
  const sources = Math.max(newestSource(join(ROOT, 'web')), newestSource(join(ROOT, 'src/shared')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  execFileSync(
    join(ROOT, 'node_modules/.bin/vite'),
    ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      stdio: 'inherit',
      // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface E2eServer {
  url: string;
  dataDir: string;
  running: Running;
  stop(): Promise<void>;
}

/**
 * `env`: more settings for this server (e.g. `HAVRE_REDIS_URL` for a journey that stops Redis).
 * `hostname`: the public URL's host; passkeys need a domain name (`localhost`), not an IP.
 */
export async function startE2eServer(
  env: Record<string, string> = {},
  { hostname = '127.0.0.1' }: { hostname?: string } = {},
): Promise<E2eServer> {
  ensureWebBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'havre-e2e-'));
  // The port is chosen first so the public URL (links in e-mails, Origin checks) is the real one.
  const port = await freePort();
  const url = `http://${hostname}:${port}`;
  const config = loadConfig(
    {
      HAVRE_HOST: '127.0.0.1',
      HAVRE_PORT: String(port),
      HAVRE_PUBLIC_URL: url,
      HAVRE_DATA_DIR: dataDir,
      HAVRE_SECRET: randomBytes(32).toString('hex'),
      HAVRE_WEB_DIR: WEB_DIST,
      HAVRE_LOG_LEVEL: 'silent',
      // Page loads fetch a dozen assets each; the per-route limits of the auth API still apply.
      HAVRE_RATE_LIMIT: '100000',
      ...env,
    },
    { demo: true, cwd: ROOT },
  );
  const running = await startServer(config, { beforeListen: seedDemo });
  return {
    url,
    dataDir,
    running,
    async stop() {
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
