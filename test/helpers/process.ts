/** A real `havre` process for tests that kill, restart or starve it (crash safety, full disk). */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './instances.ts';

export { freePort, ROOT } from './instances.ts';
export const BIN = join(ROOT, 'bin', 'havre.mjs');

/** Up to 90 s: tsx compiles at start, and a loaded machine makes that slow. */
export async function waitHealthy(base: string, child: ChildProcess) {
  for (let i = 0; i < 900; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become healthy');
}

export const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));
