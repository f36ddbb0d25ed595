import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/havre.mjs');
const communes = join(root, 'data/territories/communes-selection.geojson');

describe('the havre command', () => {
  let dir: string;
  let env: Record<string, string>;
  const havre = (args: string[], input?: string) =>
    spawnSync(process.execPath, [bin, ...args], { env, input, encoding: 'utf8', timeout: 60_000 });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'havre-cli-'));
    env = {
      PATH: process.env.PATH ?? '',
      HAVRE_DATA_DIR: dir,
      HAVRE_SECRET: 's'.repeat(40),
      HAVRE_LOG_LEVEL: 'warn',
    };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has --help on every command', () => {
    for (const args of [
      [],
      ['serve'],
      ['migrate'],
      ['admin', 'create'],
      ['territory', 'import'],
      ['staff', 'grant'],
    ]) {
      const res = havre([...args, '--help']);
      expect(res.status, args.join(' ')).toBe(0);
      expect(res.stdout).toContain('Usage: havre');
    }
  });

  it('migrates, imports territories, creates an admin and grants staff access', () => {
    expect(havre(['migrate']).status).toBe(0);
    const imported = havre(['territory', 'import', communes]);
    expect(imported.status).toBe(0);
    expect(imported.stdout).toContain('created 12, updated 0');
    const admin = havre(
      ['admin', 'create', '--email', 'root@example.org', '--password-stdin'],
      'a-long-password-1\n',
    );
    expect(admin.stderr).toBe('');
    expect(admin.status).toBe(0);
    expect(admin.stdout).toContain('administrator created');
    const grant = havre(['staff', 'grant', '--email', 'root@example.org', '--territory', '76540']);
    expect(grant.status).toBe(0);
    const db = new Database(join(dir, 'havre.sqlite'), { readonly: true });
    const roles = db.prepare('select role from user_roles order by role').all();
    const staff = db.prepare('select territory_code from staff_territories').all();
    db.close();
    expect(roles).toEqual([{ role: 'admin' }, { role: 'citizen' }, { role: 'staff' }]);
    expect(staff).toEqual([{ territory_code: '76540' }]);
  });

  it('imports the real police and gendarmerie file, reports rejected rows, and re-import changes nothing', () => {
    const stations = join(root, 'data/places/police-gendarmerie-france.geojson');
    const first = havre(['places', 'import', stations]);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('inserted 3660, updated 0, unchanged 0, rejected 0');
    const again = havre(['places', 'import', stations]);
    expect(again.stdout).toContain('inserted 0, updated 0, unchanged 3660, rejected 0');
    const bad = join(dir, 'bad-places.geojson');
    writeFileSync(
      bad,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { amenity: 'pub', name: 'Le Bon Coin' },
            geometry: { type: 'Point', coordinates: [2.32, 48.88] },
          },
          {
            type: 'Feature',
            properties: { amenity: 'pub' },
            geometry: { type: 'Point', coordinates: [2.33, 48.88] },
          },
          {
            type: 'Feature',
            properties: { amenity: 'pub', name: 'Nulle part' },
            geometry: { type: 'Point', coordinates: [2.33, 98] },
          },
        ],
      }),
    );
    const osm = havre(['places', 'import', bad, '--source', 'osm']);
    expect(osm.status).toBe(0);
    expect(osm.stdout).toContain('inserted 1');
    expect(osm.stderr).toMatch(/rejected row \d+: .*name/);
    expect(osm.stderr.trim().split('\n')).toHaveLength(2);
  });

  it('makes a consistent online backup that opens with every territory', () => {
    const out = join(dir, 'backup.sqlite');
    const res = havre(['db', 'backup', '--out', out]);
    expect(res.status).toBe(0);
    const backup = new Database(out, { readonly: true });
    expect(backup.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(backup.prepare('select count(*) as n from territories').get()).toEqual({ n: 12 });
    backup.close();
    expect(havre(['db', 'backup', '--out', out]).status).toBe(73); // never overwrites silently
  });

  it('fails clearly with a non-zero code', () => {
    const unknownUser = havre(['staff', 'grant', '--email', 'nobody@example.org', '--territory', '76540']);
    expect(unknownUser.status).toBe(66);
    expect(unknownUser.stderr).toContain('no account with this e-mail address');
    const missingFile = havre(['territory', 'import', join(dir, 'nope.geojson')]);
    expect(missingFile.status).toBe(66);
    expect(missingFile.stderr).toContain('no such file');
    const shortPassword = havre(
      ['admin', 'create', '--email', 'x@example.org', '--password-stdin'],
      'short\n',
    );
    expect(shortPassword.status).toBe(64);
    const unknownCommand = havre(['frobnicate']);
    expect(unknownCommand.status).not.toBe(0);
  });

  it('refuses to start on a bad configuration, naming the variable', () => {
    const res = spawnSync(process.execPath, [bin, 'serve'], {
      env: { ...env, HAVRE_PORT: 'eighty' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(res.status).toBe(78);
    expect(res.stderr).toContain('HAVRE_PORT');
  });

  it('shuts down gracefully on SIGTERM: the in-flight request completes and the database is intact', async () => {
    // Port 0: the system picks a free port (a random fixed one collided under CI load).
    const child = spawn(process.execPath, [bin, 'serve'], {
      env: { ...env, HAVRE_PORT: '0', HAVRE_LOG_LEVEL: 'info' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    let exited = false;
    child.on('exit', () => {
      exited = true;
    });
    await expect
      .poll(() => (exited ? `exited early: ${err}` : out), { timeout: 60_000, interval: 100 })
      .toContain('Havre est prêt');
    const port = Number(/écoute sur http:\/\/[^:]+:(\d+)/.exec(out)?.[1]);
    expect(port).toBeGreaterThan(0);
    const inFlight = fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'root@example.org', password: 'a-long-password-1' }),
    });
    // SIGTERM once the server has started handling the request (password hashing is slow).
    await expect.poll(() => out, { timeout: 10_000, interval: 1 }).toContain('"path":"/api/auth/login"');
    child.kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(200);
    const code = exited
      ? child.exitCode
      : await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    const db = new Database(join(dir, 'havre.sqlite'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  }, 120_000);
});
