/**
 * Restoring a SQLite backup as docs/DEPLOY.md §4 says. After a crash (kill -9) the old
 * `havre.sqlite-wal` and `-shm` stay next to the database; a backup put back over
 * `havre.sqlite` without deleting them gets the stale log replayed onto it, and the changes
 * meant to be rolled back come back. The guide must delete them first.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crashedInstallation, idsIn } from '../helpers/crashed-sqlite.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The shell block of DEPLOY.md's SQLite restore, as an operator would copy it. */
function restoreSteps(): string[] {
  const guide = readFileSync(join(root, 'docs/DEPLOY.md'), 'utf8');
  const section = guide.slice(guide.indexOf('## 4. Backups and restores'));
  const block = /```sh\n([\s\S]*?)```/.exec(section.slice(0, section.indexOf('\n## ', 5)))?.[1] ?? '';
  return block.split('\n').map((line) => line.trim());
}

describe('restoring a SQLite backup (DEPLOY.md §4)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'havre-restore-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('deletes havre.sqlite-wal and havre.sqlite-shm before putting the backup back', () => {
    const steps = restoreSteps();
    const remove = steps.findIndex(
      (s) => /^rm\b.*havre\.sqlite-wal/.test(s) && s.includes('havre.sqlite-shm'),
    );
    const putBack = steps.findIndex((s) => /\bhavre\.sqlite$/.test(s) && /^(cp|install)\b/.test(s));
    expect(steps.some((s) => s.startsWith('systemctl stop'))).toBe(true);
    expect(remove, 'an rm of the -wal and -shm files').toBeGreaterThanOrEqual(0);
    expect(putBack, 'the backup put back as havre.sqlite').toBeGreaterThan(remove);
  });

  it('gets the backup, and only it, when the stale log is deleted first', () => {
    const { file, backup } = crashedInstallation(dir);
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
    copyFileSync(backup, file);
    expect(idsIn(file)).toEqual([1]);
  });

  it('(why) replays the rolled-back changes when the stale log is left in place', () => {
    const { file, backup } = crashedInstallation(dir);
    copyFileSync(backup, file);
    expect(idsIn(file)).not.toEqual([1]);
  });
});
