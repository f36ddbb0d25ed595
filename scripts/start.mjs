#!/usr/bin/env node
// `npm start`: builds the web app when it is missing or older than its sources, then runs
// `havre serve --demo` (demo accounts and data on an empty database).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'web/dist/index.html');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const stale = !existsSync(built) || newestSource(join(root, 'web')) > statSync(built).mtimeMs;
if (stale) {
  process.stdout.write('Construction de l’application web…\n');
  const vite = join(root, 'node_modules/.bin/vite');
  const result = spawnSync(vite, ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// Same process as the server, so SIGTERM/SIGINT reach its graceful shutdown directly.
process.chdir(root);
const { register } = await import('tsx/esm/api');
register();
const { runCli } = await import('../src/cli/main.ts');
const code = await runCli(['serve', '--demo']);
if (code !== 0) process.exit(code);
