/**
 * What the `havre` command says and exits with when it cannot do what it was asked: usage errors
 * 64 whoever detects them (commander or Havre), unreadable input 66, wrong content 65, an output
 * that holds someone's data 73 — with messages naming the user's file as given.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_URL } from '../../test/helpers/backends.ts';
import { freshPostgresDatabase } from '../../test/helpers/postgres-database.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/havre.mjs');

describe('the havre command when it cannot do what it was asked', () => {
  let dir: string;
  let env: Record<string, string>;
  const havre = (args: string[], input?: string) =>
    spawnSync(process.execPath, [bin, ...args], { env, input, encoding: 'utf8', timeout: 60_000 });
  /** A file of the test's directory with this content. */
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'havre-cli-exit-'));
    env = {
      PATH: process.env.PATH ?? '',
      HAVRE_DATA_DIR: dir,
      HAVRE_SECRET: 's'.repeat(40),
      HAVRE_LOG_LEVEL: 'warn',
    };
    expect(havre(['migrate']).status).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const pub = JSON.stringify({
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        id: 'node/1',
        properties: { amenity: 'pub', name: 'Le Bon Coin' },
        geometry: { type: 'Point', coordinates: [2.32, 48.88] },
      },
    ],
  });

  it('exits 64 on every usage error, whether commander or Havre finds it', () => {
    const places = file('pub.geojson', pub);
    for (const args of [
      [],
      ['db'],
      ['frobnicate'],
      ['admin', 'create'],
      ['admin', 'list', '--bogus'],
      ['territory', 'import'],
      ['db', 'copy', '--to'],
      ['places', 'import', places, '--format', 'xml'],
      ['places', 'import', places, '--source', 'bogus'],
      ['places', 'remove', 'partner', 'x'],
      ['db', 'copy', '--to', 'mysql://localhost/havre'],
    ]) {
      const res = havre(args);
      expect(res.status, args.join(' ')).toBe(64);
      expect(res.stderr, args.join(' ')).not.toBe('');
    }
    const choices = havre(['places', 'import', places, '--source', 'bogus']);
    expect(choices.stderr).toContain('official, osm');
    expect(havre(['--version']).status).toBe(0);
    expect(havre(['db', 'copy', '--help']).status).toBe(0);
  });

  it('names the file as given when it is a directory, missing or not a SQLite database', () => {
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    for (const args of [
      ['db', 'restore', '--from', folder],
      ['territory', 'import', folder],
      ['places', 'import', folder],
    ]) {
      const res = havre(args);
      expect([res.status, res.stderr.trim()], args.join(' ')).toEqual([
        66,
        `havre: ${folder} is a directory: give the file to read`,
      ]);
    }
    const missing = havre(['db', 'restore', '--from', join(dir, 'nope.sqlite')]);
    expect([missing.status, missing.stderr.trim()]).toEqual([
      66,
      `havre: no such file: ${join(dir, 'nope.sqlite')}`,
    ]);
    const notDb = file('notadb', 'not a database'.repeat(100));
    const restore = havre(['db', 'restore', '--from', notDb]);
    expect(restore.status).toBe(65);
    expect(restore.stderr).toContain(`havre: ${notDb} is not a SQLite database`);
    expect(restore.stderr).not.toContain('.restoring');
    expect(restore.stderr).toContain('nothing was changed');
  });

  it('says that no password came on stdin rather than that it is short', () => {
    for (const input of [undefined, '', '\n']) {
      const res = havre(['admin', 'create', '--email', 'root@example.org'], input);
      expect(res.status, JSON.stringify(input)).toBe(64);
      expect(res.stderr).toContain('no password on stdin: use --password-stdin');
    }
    const short = havre(['admin', 'create', '--email', 'root@example.org', '--password-stdin'], 'short\n');
    expect([short.status, short.stderr.trim()]).toEqual([
      64,
      'havre: the password needs at least 10 characters',
    ]);
    expect(havre(['admin', 'list']).stdout).toBe(''); // nobody was created
  });

  it('fails a places import with 65 when nothing was imported, with the summary and a hint', () => {
    const rejected = file('stations.csv', 'nom;latitude;longitude\n"Poste A";"abc";"2.3"\n"Poste B";"";""\n');
    const allRejected = havre(['places', 'import', rejected]);
    expect(allRejected.status).toBe(65);
    expect(allRejected.stdout.trim()).toBe('inserted 0, updated 0, unchanged 0, rejected 2');
    expect(allRejected.stderr).toContain('rejected row 2: missing or unreadable coordinates');
    expect(allRejected.stderr).toContain(`nothing imported: every record of ${rejected} was rejected`);
    const headerOnly = havre(['places', 'import', file('header.csv', 'nom;latitude;longitude\n')]);
    expect(headerOnly.status).toBe(65);
    expect(headerOnly.stderr).toContain('holds no records');
    const noFeatures = havre([
      'places',
      'import',
      file('none.geojson', '{"type":"FeatureCollection","features":[]}'),
    ]);
    expect(noFeatures.status).toBe(65);
    // Something imported, or already there: a success, even with rejected rows beside it.
    const places = file('pub.geojson', pub);
    expect(havre(['places', 'import', places]).status).toBe(0);
    const again = havre(['places', 'import', places]);
    expect([again.status, again.stdout.trim()]).toEqual([
      0,
      'inserted 0, updated 0, unchanged 1, rejected 0',
    ]);
  });

  it('refuses as CSV a JSON file, an empty file or a header without name and coordinate columns', () => {
    const geojson = file('places.geojson', pub);
    const asCsv = havre(['places', 'import', geojson, '--format', 'csv']);
    expect(asCsv.status).toBe(65);
    expect(asCsv.stderr).toContain('places.geojson holds JSON, not CSV: leave out --format csv');
    expect(asCsv.stdout).toBe('');
    const named = havre(['places', 'import', file('places-export.csv', pub)]);
    expect(named.status).toBe(65);
    expect(named.stderr).toContain(
      'places-export.csv holds JSON, not CSV: import it with --format geojson or --format osm',
    );
    const empty = havre(['places', 'import', file('empty.csv', '')]);
    expect(empty.status).toBe(65);
    expect(empty.stderr).toContain(
      'empty.csv is empty: expected a header line with a name column (service, nom or name)',
    );
    const wrong = havre(['places', 'import', file('wrong.csv', 'station;ville\n"A";"Rouen"\n')]);
    expect(wrong.status).toBe(65);
    expect(wrong.stderr).toContain('wrong.csv: its header has no name and no coordinate column');
    expect(wrong.stderr).toContain('latitude and longitude');
    const noCoordinates = havre(['places', 'import', file('names.csv', 'nom;ville\n"A";"Rouen"\n')]);
    expect(noCoordinates.stderr).toContain('its header has no coordinate column');
  });

  it.runIf(POSTGRES_URL)(
    'copies to PostgreSQL, then refuses the filled target with 73 and its row counts unless --replace',
    async () => {
      const target = await freshPostgresDatabase('havre_cli_copy');
      try {
        const first = havre(['db', 'copy', '--to', target.url]);
        expect(first.stderr).toBe('');
        expect(first.status).toBe(0);
        const again = havre(['db', 'copy', '--to', target.url]);
        expect(again.status).toBe(73);
        expect(again.stderr).toContain('the target database already holds Havre data; nothing was changed');
        expect(again.stderr).toMatch(/\n {2}places +\d+ rows\n/);
        expect(again.stderr).toContain('run again with --replace');
        const replaced = havre(['db', 'copy', '--to', target.url, '--replace']);
        expect(replaced.status).toBe(0);
        expect(replaced.stdout).toContain('copied and verified');
      } finally {
        await target.drop();
      }
    },
    120_000,
  );
});
