/**
 * docs/deploy/havre.env as DEPLOY.md §1 uses it: read by systemd for the service and by the
 * shell of the documented `havre` function for the command. Both must read the same values, and
 * the example's placeholder secret must be replaced by §1's steps or refused.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const guide = readFileSync(join(root, 'docs/DEPLOY.md'), 'utf8');
const example = join(root, 'docs/deploy/havre.env');

/** A line of DEPLOY.md's shell blocks, found by how it starts. */
function guideLine(start: string): string {
  const line = guide.split('\n').find((l) => l.startsWith(start));
  if (!line) throw new Error(`DEPLOY.md has no line starting with ${start}`);
  return line;
}

/** Runs a shell script with the example env file where the guide puts it. */
const sh = (script: string, envFile: string) =>
  spawnSync('sh', ['-c', script.replaceAll('/etc/havre/havre.env', envFile).replaceAll('/opt/havre', root)], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
    timeout: 60_000,
  });

describe('the example environment file (DEPLOY.md §1)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'havre-env-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is read by the shell of the documented `havre` function, which runs the command', () => {
    // The test runs as one user: the function without its `sudo -u havre`.
    const fn = guideLine('havre() {').replace('sudo -u havre ', '');
    const res = sh(`${fn}\nhavre migrate`, example);
    expect(res.stderr).not.toMatch(/syntax error/i);
    // The example's values reached the command: it refuses the placeholder, naming it.
    expect(res.stderr).toContain('HAVRE_SECRET');
    expect(res.stderr).toContain('placeholder');
    expect(res.status).toBe(78);
    const values = sh('set -a && . /etc/havre/havre.env && echo "$HAVRE_MAIL_FROM"', example);
    expect(values.stdout.trim()).toBe('Havre <no-reply@havre.example.fr>');
  });

  it('gets a real secret from the guide’s sed line', () => {
    const file = join(dir, 'havre.env');
    copyFileSync(example, file);
    expect(sh(guideLine('sed -i "s/^HAVRE_SECRET='), file).status).toBe(0);
    const secret = /^HAVRE_SECRET=(.*)$/m.exec(readFileSync(file, 'utf8'))?.[1];
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(loadConfig({ HAVRE_SECRET: secret }).secret).toBe(secret);
  });
});
