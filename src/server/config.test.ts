import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, withPersistedSecret } from './config.ts';

const SECRET = 'x'.repeat(40);

describe('configuration', () => {
  it('has working defaults in demo mode', () => {
    const config = loadConfig({}, { demo: true, cwd: '/srv/havre' });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      dataDir: '/srv/havre/var',
      databaseUrl: 'sqlite:/srv/havre/var/havre.sqlite',
      publicUrl: 'http://localhost:8080',
      kAnonymity: 5,
      redisUrl: null,
      checkinGraceMs: 5 * 60_000,
    });
    expect(loadConfig({ HAVRE_CHECKIN_GRACE: '12m' }, { demo: true }).checkinGraceMs).toBe(12 * 60_000);
    expect(loadConfig({ HAVRE_CHECKIN_GRACE: '1h' }, { demo: true }).checkinGraceMs).toBe(3_600_000);
  });

  it.each([
    [{ HAVRE_PORT: 'eighty' }, 'HAVRE_PORT'],
    [{ HAVRE_PORT: '70000' }, 'HAVRE_PORT'],
    [{ HAVRE_DATABASE_URL: 'mysql://x' }, 'HAVRE_DATABASE_URL'],
    [{ HAVRE_REDIS_URL: 'http://x' }, 'HAVRE_REDIS_URL'],
    [{ HAVRE_PUBLIC_URL: 'not a url' }, 'HAVRE_PUBLIC_URL'],
    [{ HAVRE_K_ANONYMITY: '2' }, 'HAVRE_K_ANONYMITY'],
    [{ HAVRE_LOG_LEVEL: 'loud' }, 'HAVRE_LOG_LEVEL'],
    [{ HAVRE_TRUST_PROXY: 'maybe' }, 'HAVRE_TRUST_PROXY'],
    [{ HAVRE_SECRET: 'short' }, 'HAVRE_SECRET'],
    [{ HAVRE_SECRET: 'change-me-openssl-rand-hex-32-change-me-now' }, 'HAVRE_SECRET'],
    [{ HAVRE_CHECKIN_GRACE: '30s' }, 'HAVRE_CHECKIN_GRACE'],
    [{ HAVRE_CHECKIN_GRACE: '2h' }, 'HAVRE_CHECKIN_GRACE'],
    [{ HAVRE_CHECKIN_GRACE: '90s' }, 'HAVRE_CHECKIN_GRACE'],
    [{ HAVRE_CHECKIN_GRACE: 'soon' }, 'HAVRE_CHECKIN_GRACE'],
  ])('refuses %j with an error naming %s', (env, variable) => {
    let error: unknown;
    try {
      loadConfig({ HAVRE_SECRET: SECRET, ...env });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as Error).message).toMatch(new RegExp(`^${variable}: `));
  });

  it('requires HAVRE_SECRET outside demo mode', () => {
    expect(() => loadConfig({})).toThrow(/HAVRE_SECRET: is required/);
    expect(loadConfig({ HAVRE_SECRET: SECRET }).secret).toBe(SECRET);
  });

  it('refuses the placeholder secret of docs/deploy/havre.env and says how to make one', () => {
    const example = readFileSync(new URL('../../docs/deploy/havre.env', import.meta.url), 'utf8');
    const placeholder = /^HAVRE_SECRET=(.*)$/m.exec(example)?.[1];
    expect(placeholder).toBeTruthy();
    expect(() => loadConfig({ HAVRE_SECRET: placeholder })).toThrow(
      /^HAVRE_SECRET: .*placeholder.*openssl rand -hex 32/,
    );
  });

  it('generates a missing secret once in demo mode and keeps it in the data directory (0600)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'havre-cfg-'));
    const first = withPersistedSecret(loadConfig({ HAVRE_DATA_DIR: dir }, { demo: true }));
    const second = withPersistedSecret(loadConfig({ HAVRE_DATA_DIR: dir }, { demo: true }));
    expect(first.secret).toHaveLength(64);
    expect(second.secret).toBe(first.secret);
    expect(readFileSync(join(dir, 'secret'), 'utf8')).toBe(first.secret);
    expect(statSync(join(dir, 'secret')).mode & 0o777).toBe(0o600);
  });

  it('refuses an IP address as the public URL’s host outside demo mode, saying passkeys need a name', () => {
    for (const publicUrl of [
      'https://203.0.113.5',
      'http://192.168.1.20:8080',
      'https://[2001:db8::1]:8443',
    ]) {
      expect(() => loadConfig({ HAVRE_SECRET: SECRET, HAVRE_PUBLIC_URL: publicUrl }), publicUrl).toThrow(
        /^HAVRE_PUBLIC_URL: .*IP address.*passkeys/,
      );
    }
  });

  it('accepts a loopback address (tests, a server tried on this machine), and any address in demo mode', () => {
    for (const publicUrl of ['http://127.0.0.1:8081', 'http://[::1]:8080', 'http://localhost:8080']) {
      expect(loadConfig({ HAVRE_SECRET: SECRET, HAVRE_PUBLIC_URL: publicUrl }).publicUrl).toBe(publicUrl);
    }
    expect(loadConfig({ HAVRE_PUBLIC_URL: 'http://192.168.1.20:8080' }, { demo: true }).publicUrl).toBe(
      'http://192.168.1.20:8080',
    );
  });

  it('creates a missing data directory for the secret readable by its owner only (0700)', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'havre-cfg-')), 'var');
    withPersistedSecret(loadConfig({ HAVRE_DATA_DIR: dir }, { demo: true }));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('accepts PostgreSQL and Redis URLs and strips a trailing slash of the public URL', () => {
    const config = loadConfig({
      HAVRE_SECRET: SECRET,
      HAVRE_DATABASE_URL: 'postgres://havre@db:5432/havre',
      HAVRE_REDIS_URL: 'redis://cache:6379',
      HAVRE_PUBLIC_URL: 'https://havre.example.fr/',
    });
    expect(config.databaseUrl).toBe('postgres://havre@db:5432/havre');
    expect(config.redisUrl).toBe('redis://cache:6379');
    expect(config.publicUrl).toBe('https://havre.example.fr');
  });
});
