import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
      ['admin', 'list'],
      ['admin', 'remove'],
      ['territory', 'import'],
      ['staff', 'grant'],
      ['db', 'restore'],
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
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('inserted 3654, updated 0, unchanged 0, rejected 6');
    // Each rejected row on stderr with its reason: Carcassonne's commissariat is misplaced upstream.
    expect(first.stderr.trim().split('\n')).toHaveLength(6);
    expect(first.stderr).toContain('rejected row 34: outside France (43.211517, 43.211517)');
    const again = havre(['places', 'import', stations]);
    expect(again.stdout).toContain('inserted 0, updated 0, unchanged 3654, rejected 6');
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

  it('names the place an earlier import stored when its record is now rejected, and removes it', () => {
    const file = join(dir, 'moved-pub.geojson');
    const write = (lat: number) =>
      writeFileSync(
        file,
        JSON.stringify({
          type: 'FeatureCollection',
          features: [
            {
              type: 'Feature',
              id: 'node/4242',
              properties: { amenity: 'pub', name: 'Le Déplacé', opening_hours: 'Lu-Sam 10:00-21:00' },
              geometry: { type: 'Point', coordinates: [2.31, lat] },
            },
          ],
        }),
      );
    write(48.88);
    const first = havre(['places', 'import', file]);
    expect(first.stdout).toContain('inserted 1');
    // Kept with its hours shown as unknown, and said (French day names need a guess).
    expect(first.stderr.trim()).toBe('opening hours not readable, shown as unknown: 1 row(s): 1');
    write(148.88);
    const again = havre(['places', 'import', file]);
    expect(again.status).toBe(65); // its only record rejected: nothing imported
    expect(again.stdout.trim()).toBe('inserted 0, updated 0, unchanged 0, rejected 1');
    expect(again.stderr).toContain(
      'rejected row 1: bad coordinates (148.88, 2.31) (an earlier import stored it; to take it off the map: havre places remove osm node/4242)',
    );
    const removed = havre(['places', 'remove', 'osm', 'node/4242']);
    expect([removed.status, removed.stdout.trim()]).toEqual([0, 'removed 1: node/4242']);
    const twice = havre(['places', 'remove', 'osm', 'node/4242']);
    expect([twice.status, twice.stdout.trim(), twice.stderr.trim()]).toEqual([
      0,
      'nothing changed',
      'no osm place with id node/4242',
    ]);
    const partner = havre(['places', 'remove', 'partner', 'x']);
    expect(partner.status).toBe(64);
    expect(partner.stderr).toContain('the source must be official or osm, not partner');
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
    // A directory gets a file named by the time (a nightly job's --out /var/backups/havre/).
    const nightly = join(dir, 'nightly');
    mkdirSync(nightly);
    const inDir = havre(['db', 'backup', '--out', `${nightly}/`]);
    expect(inDir.status).toBe(0);
    const [file] = readdirSync(nightly);
    expect(file).toMatch(/^havre-\d{12}\.sqlite$/);
    expect(inDir.stdout.trim()).toBe(`backup written to ${join(nightly, file)}`);
    const copy = new Database(join(nightly, file), { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();
  });

  it('fails clearly with a non-zero code', () => {
    const unknownUser = havre(['staff', 'grant', '--email', 'nobody@example.org', '--territory', '76540']);
    expect(unknownUser.status).toBe(66);
    expect(unknownUser.stderr).toContain('no account with this e-mail address');
    const missingFile = havre(['territory', 'import', join(dir, 'nope.geojson')]);
    expect(missingFile.status).toBe(66);
    expect(missingFile.stderr).toContain('no such file');
    // A file that is there but wrong is a data error, as for a places file.
    const notJson = join(dir, 'not-json.geojson');
    writeFileSync(notJson, '{"type": "FeatureCollection", ');
    const badTerritories = havre(['territory', 'import', notJson]);
    expect([badTerritories.status, badTerritories.stderr.trim()]).toEqual([
      65,
      `havre: ${notJson} is not valid JSON`,
    ]);
    const badPlaces = havre(['places', 'import', notJson]);
    expect(badPlaces.status).toBe(65);
    const shortPassword = havre(
      ['admin', 'create', '--email', 'x@example.org', '--password-stdin'],
      'short\n',
    );
    expect(shortPassword.status).toBe(64);
    const unknownCommand = havre(['frobnicate']);
    expect(unknownCommand.status).not.toBe(0);
  });

  it('keeps the spaces of a piped password and says when an existing password is left as it was', async () => {
    const { verifyPassword } = await import('../accounts/passwords.ts');
    const hashOf = (email: string) => {
      const db = new Database(join(dir, 'havre.sqlite'), { readonly: true });
      const row = db.prepare('select password_hash from users where email = ?').get(email) as {
        password_hash: string;
      };
      db.close();
      return row.password_hash;
    };
    // Only the line ending goes (\r\n from a Windows editor too): the spaces were typed.
    const created = havre(
      ['admin', 'create', '--email', 'spaced@example.org', '--password-stdin'],
      '  spaced password  \r\n',
    );
    expect(created.status).toBe(0);
    expect(await verifyPassword(hashOf('spaced@example.org'), '  spaced password  ')).toBe(true);
    const again = havre(
      ['admin', 'create', '--email', 'spaced@example.org', '--password-stdin'],
      'a-new-password-2\n',
    );
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('password was NOT changed');
    expect(await verifyPassword(hashOf('spaced@example.org'), '  spaced password  ')).toBe(true);
  });

  it('lists administrators and removes one, never the last', () => {
    const list = () => havre(['admin', 'list']).stdout.trim().split('\n');
    expect(list()).toEqual(['root@example.org', 'spaced@example.org']);
    const removed = havre(['admin', 'remove', '--email', 'spaced@example.org']);
    expect(removed.stderr).toBe('');
    expect(removed.status).toBe(0);
    expect(removed.stdout).toContain('spaced@example.org is no longer administrator');
    expect(list()).toEqual(['root@example.org']);
    // The account stays, with its other roles.
    const db = new Database(join(dir, 'havre.sqlite'), { readonly: true });
    const roles = db
      .prepare('select role from user_roles join users on users.id = user_id where email = ?')
      .all('spaced@example.org');
    db.close();
    expect(roles).toEqual([{ role: 'citizen' }]);
    const last = havre(['admin', 'remove', '--email', 'root@example.org']);
    expect(last.status).toBe(65);
    expect(last.stderr).toContain('root@example.org is the last administrator');
    expect(list()).toEqual(['root@example.org']);
    const unknown = havre(['admin', 'remove', '--email', 'nobody@example.org']);
    expect(unknown.status).toBe(66);
    expect(unknown.stderr).toContain('no account with the e-mail address nobody@example.org');
  });

  it('refuses to work on a database that does not exist instead of creating an empty one', () => {
    // What an operator gets from the wrong directory, or without the installation's env file.
    const elsewhere = mkdtempSync(join(tmpdir(), 'havre-cli-elsewhere-'));
    try {
      const run = (args: string[], input?: string) =>
        spawnSync(process.execPath, [bin, ...args], {
          env: { ...env, HAVRE_DATA_DIR: elsewhere },
          input,
          encoding: 'utf8',
          timeout: 60_000,
        });
      for (const args of [
        ['admin', 'create', '--email', 'root@example.org', '--password-stdin'],
        ['territory', 'list'],
        ['db', 'backup', '--out', join(elsewhere, 'backup.sqlite')],
      ]) {
        const res = run(args, 'a-long-password-1\n');
        expect(res.status, args.join(' ')).toBe(78);
        expect(res.stderr).toContain(join(elsewhere, 'havre.sqlite'));
        expect(res.stderr).toContain('HAVRE_DATA_DIR');
        expect(res.stderr).toContain('havre migrate');
      }
      expect(readdirSync(elsewhere)).toEqual([]); // nothing created: no database, no secret
      // `havre migrate` is how a new installation's database is made.
      expect(run(['migrate']).status).toBe(0);
      expect(existsSync(join(elsewhere, 'havre.sqlite'))).toBe(true);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('refuses to start on a bad configuration, naming the variable', () => {
    const res = spawnSync(process.execPath, [bin, 'serve'], {
      env: { ...env, HAVRE_PORT: 'eighty' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(res.status).toBe(78);
    expect(res.stderr).toContain('HAVRE_PORT');
    // The example env file's placeholder passes the length check; it must not pass at all.
    const placeholder = spawnSync(process.execPath, [bin, 'serve'], {
      env: { ...env, HAVRE_SECRET: 'change-me-openssl-rand-hex-32-change-me-now' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(placeholder.status).toBe(78);
    expect(placeholder.stderr).toContain('HAVRE_SECRET');
    expect(placeholder.stderr).toContain('openssl rand -hex 32');
    // A host known only when listening: still a configuration error naming the variable.
    for (const host of ['not-a-host.invalid', '192.0.2.1']) {
      const badHost = spawnSync(process.execPath, [bin, 'serve'], {
        env: { ...env, HAVRE_HOST: host, HAVRE_PORT: '0' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(badHost.stderr, host).toContain(`configuration error: HAVRE_HOST: "${host}"`);
      expect(badHost.status, host).toBe(78);
    }
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

  it('restores a backup only once the server is stopped, keeping the replaced database aside', async () => {
    const backup = join(dir, 'backup.sqlite'); // made by the backup test, before spaced@ existed
    const accounts = () => {
      const db = new Database(join(dir, 'havre.sqlite'), { readonly: true });
      const emails = db.prepare('select email from users order by email').all();
      db.close();
      return emails.map((row) => (row as { email: string }).email);
    };
    expect(accounts()).toEqual(['root@example.org', 'spaced@example.org']);
    const child = spawn(process.execPath, [bin, 'serve'], { env: { ...env, HAVRE_PORT: '0' } });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await expect.poll(() => out, { timeout: 60_000, interval: 100 }).toContain('Havre est prêt');
    const refused = havre(['db', 'restore', '--from', backup]);
    child.kill('SIGTERM');
    await exited;
    expect(refused.stderr).toContain("stop every Havre instance first (systemctl stop 'havre@*')");
    expect(refused.status).toBe(75);
    const restored = havre(['db', 'restore', '--from', backup]);
    expect(restored.stderr).toBe('');
    expect(restored.status).toBe(0);
    expect(restored.stdout).toMatch(/kept as .*havre\.sqlite\.before-restore-/);
    expect(accounts()).toEqual(['root@example.org']);
    const notBackup = havre(['db', 'restore', '--from', join(root, 'README.md')]);
    expect(notBackup.status).toBe(65);
    expect(notBackup.stderr).toContain('nothing was changed');
  }, 120_000);

  it('takes territory codes in any case, says a postal code is not one, and a revoke of nothing changes nothing', () => {
    const saved = env.HAVRE_DATA_DIR;
    const own = mkdtempSync(join(tmpdir(), 'havre-cli-codes-'));
    env.HAVRE_DATA_DIR = own; // its own database: the other tests count territories
    try {
      expect(havre(['migrate']).status).toBe(0);
      expect(havre(['territory', 'import', communes]).status).toBe(0);
      expect(
        havre(['admin', 'create', '--email', 'root@example.org', '--password-stdin'], 'a-long-password-1\n')
          .status,
      ).toBe(0);
      // Codes in any case (Corsica's are written 2A…); a postal code is said not to be one.
      const corsica = join(own, 'ajaccio.geojson');
      const square = [
        [
          [8.7, 41.9],
          [8.8, 41.9],
          [8.8, 42],
          [8.7, 42],
          [8.7, 41.9],
        ],
      ];
      writeFileSync(
        corsica,
        JSON.stringify({
          type: 'Feature',
          properties: { code: '2A004', nom: 'Ajaccio' },
          geometry: { type: 'Polygon', coordinates: square },
        }),
      );
      expect(havre(['territory', 'import', corsica]).status).toBe(0);
      const lower = havre(['staff', 'grant', '--email', 'root@example.org', '--territory', '2a004']);
      expect(lower.stdout).toContain('granted: territory 2A004');
      const postal = havre(['staff', 'grant', '--email', 'root@example.org', '--territory', '75017']);
      expect(postal.status).toBe(66);
      expect(postal.stderr).toContain('INSEE code, not the postal code');
      // Revoking what was never granted changes nothing, and says so.
      const never = havre(['staff', 'revoke', '--email', 'root@example.org', '--territory', '13001']);
      expect(never.status).toBe(0);
      expect(never.stdout).toContain('nothing changed: root@example.org had no access to territory 13001');
      const version = havre(['--version']);
      expect(version.status).toBe(0);
      expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    } finally {
      env.HAVRE_DATA_DIR = saved;
      rmSync(own, { recursive: true, force: true });
    }
  });
});
