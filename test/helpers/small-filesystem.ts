/**
 * A small file system of our own to fill up (full-disk tests): a tmpfs mounted on a fresh
 * folder. Mounting needs privileges (root, as in CI); `mountable()` says whether this process
 * has them, so that a test can skip with its reason instead of failing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SmallFilesystem {
  dir: string;
  /** Unmounts (lazily: a process may still hold a file) and removes the folder. */
  remove(): void;
}

/** Mounts a tmpfs of `size` (e.g. '16m'); `owner` gives its root to that uid:gid, mode 0700. */
export function smallFilesystem(size: string, owner?: { uid: number; gid: number }): SmallFilesystem | null {
  const dir = mkdtempSync(join(tmpdir(), 'havre-full-'));
  const options = [`size=${size}`, ...(owner ? [`uid=${owner.uid}`, `gid=${owner.gid}`, 'mode=0700'] : [])];
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options.join(','), 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  return {
    dir,
    remove() {
      execFileSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether this process may mount a tmpfs (probed once with a 1 MB one). */
export function mountable(): boolean {
  const probe = smallFilesystem('1m');
  probe?.remove();
  return probe !== null;
}
