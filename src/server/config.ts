/**
 * Configuration: read once from environment variables, validated at boot, typed.
 * Nothing else in Havre reads `process.env`. A bad value stops the process with a
 * message that names the variable (see `ConfigError`).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { proxyTrust, type TrustProxy } from './client-address.ts';

export interface Config {
  /** true for `npm start` / `havre serve --demo`: seeds demo data, generates missing secrets. */
  demo: boolean;
  port: number;
  host: string;
  dataDir: string;
  /** `sqlite:/abs/path.sqlite` or `postgres://…`. */
  databaseUrl: string;
  redisUrl: string | null;
  publicUrl: string;
  /** Server secret (HMAC keys, tokens). At least 32 characters. */
  secret: string;
  smtpUrl: string | null;
  mailFrom: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** k of k-anonymity for every aggregate a municipality sees. Never below 3. */
  kAnonymity: number;
  /** Months anonymous reports are kept before the retention job deletes them. */
  reportRetentionMonths: number;
  /** Requests per minute per IP before 429. */
  rateLimitPerMinute: number;
  sessionTtlDays: number;
  /** Which X-Forwarded-For hops are this installation's proxies (client-address.ts). */
  trustProxy: TrustProxy;
  mapStyleUrl: string | null;
  /** Folder of the built web app served at `/`. */
  webDir: string;
  /** How long an ended sharing session's ciphertext trail is kept, in ms. */
  trailRetentionMs: number;
  /** Time the sharer has to answer "are you OK?" before the contacts are alerted, in ms. */
  checkinGraceMs: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Every variable, its default and meaning: the README's table is generated from this list. */
export const CONFIG_VARIABLES: { name: string; default: string; meaning: string }[] = [
  { name: 'HAVRE_PORT', default: '8080', meaning: 'TCP port of the HTTP server' },
  { name: 'HAVRE_HOST', default: '127.0.0.1', meaning: 'interface to listen on (`0.0.0.0` for all)' },
  {
    name: 'HAVRE_DATA_DIR',
    default: './var',
    meaning: 'folder for the SQLite file, generated secrets and dev mail',
  },
  {
    name: 'HAVRE_DATABASE_URL',
    default: 'sqlite:$HAVRE_DATA_DIR/havre.sqlite',
    meaning: '`sqlite:PATH` (embedded) or `postgres://user@host:5432/db`',
  },
  {
    name: 'HAVRE_REDIS_URL',
    default: '(none)',
    meaning:
      '`redis://host:6379`: cross-instance bus and counters; one Redis server per installation (pub/sub ignores the database number)',
  },
  {
    name: 'HAVRE_PUBLIC_URL',
    default: 'http://localhost:$HAVRE_PORT',
    meaning:
      'URL users reach (links in e-mails, Origin check; its host names the SOS passkeys: a domain name, not an IP address, refused outside demo mode but for loopback)',
  },
  {
    name: 'HAVRE_SECRET',
    default: 'generated in demo mode',
    meaning: 'server secret, ≥ 32 characters; required outside demo mode',
  },
  {
    name: 'HAVRE_SMTP_URL',
    default: '(none)',
    meaning: '`smtp://user:pass@host:587`; without it e-mails are written to `$HAVRE_DATA_DIR/mail/`',
  },
  { name: 'HAVRE_MAIL_FROM', default: 'Havre <no-reply@havre.example>', meaning: 'sender of e-mails' },
  {
    name: 'HAVRE_LOG_LEVEL',
    default: 'info',
    meaning: 'pino level: fatal, error, warn, info, debug, trace, silent',
  },
  {
    name: 'HAVRE_K_ANONYMITY',
    default: '5',
    meaning: 'k threshold of every municipal aggregate (minimum 3)',
  },
  {
    name: 'HAVRE_REPORT_RETENTION_MONTHS',
    default: '24',
    meaning: 'months anonymous reports are kept (2 to 120), then deleted by an hourly job',
  },
  {
    name: 'HAVRE_RATE_LIMIT',
    default: '600',
    meaning: 'API requests per minute per client IP (the web app’s files are not counted)',
  },
  { name: 'HAVRE_SESSION_TTL_DAYS', default: '30', meaning: 'lifetime of a sign-in session' },
  {
    name: 'HAVRE_TRUST_PROXY',
    default: 'false',
    meaning:
      'behind a reverse proxy, which hops of X-Forwarded-For to believe: `1` (the proxy in front; `true` means the same), a number of hops, or the proxies’ addresses `127.0.0.1,10.0.0.0/8`',
  },
  {
    name: 'HAVRE_MAP_STYLE_URL',
    default: '(none)',
    meaning: 'MapLibre style URL for base maps; without it maps use a plain background',
  },
  { name: 'HAVRE_WEB_DIR', default: './web/dist', meaning: 'built web app served at `/`' },
  {
    name: 'HAVRE_TRAIL_RETENTION',
    default: '24h',
    meaning: 'how long an ended sharing trail (ciphertext) is kept: `30m`, `24h`, `2d`',
  },
  {
    name: 'HAVRE_CHECKIN_GRACE',
    default: '5m',
    meaning:
      'time the sharer has to answer "are you OK?" (missed arrival, immobility) before the contacts are alerted: `1m` to `1h`',
  },
];

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(name, `expected an integer, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

/**
 * HAVRE_TRUST_PROXY: a number of proxy hops, or the proxies' addresses (client-address.ts).
 * `true` used to trust every hop, which let a client pick its own address by writing
 * X-Forwarded-For; it now means one hop, the reverse proxy in front as docs/DEPLOY.md sets it
 * up. That proxy's own entry (the right-most) is then the client whatever the client wrote
 * before it, so an installation configured from the earlier guide is protected without a
 * change (refusing `true` would have stopped each of them at upgrade for the value it needs).
 */
function trustProxy(env: Env): TrustProxy {
  const name = 'HAVRE_TRUST_PROXY';
  const raw = env[name]?.trim() ?? '';
  const word = raw.toLowerCase();
  if (['', 'false', 'no', 'off'].includes(word)) return 0;
  if (['true', 'yes', 'on'].includes(word)) return 1;
  if (/^\d+$/.test(raw)) return integer(env, name, 0, 0, 10);
  const proxies = raw.split(',').map((item) => item.trim());
  try {
    proxyTrust(proxies);
  } catch (error) {
    throw new ConfigError(
      name,
      `expected false, a number of proxy hops (1 for one reverse proxy) or the proxies' addresses ` +
        `such as 127.0.0.1,10.0.0.0/8; ${(error as Error).message}`,
    );
  }
  return proxies;
}

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `90s`, `30m`, `24h`, `2d` → milliseconds. */
function duration(env: Env, name: string, fallback: string, maxMs: number): number {
  const raw = env[name]?.trim() || fallback;
  const match = /^(\d+)\s*([smhd])$/.exec(raw);
  if (!match) throw new ConfigError(name, `expected a duration like 30m, 24h or 2d, got "${raw}"`);
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  if (ms > maxMs) throw new ConfigError(name, `must be at most ${maxMs / 86_400_000} days`);
  return ms;
}

/** Whole minutes (the notices say "in N minutes"), at least one, at most an hour. */
function checkinGrace(env: Env): number {
  const name = 'HAVRE_CHECKIN_GRACE';
  const ms = duration(env, name, '5m', 3_600_000);
  if (ms < 60_000 || ms % 60_000 !== 0) throw new ConfigError(name, 'must be whole minutes, from 1m to 1h');
  return ms;
}

function url(env: Env, name: string, protocols: string[]): string | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `not a valid URL`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `expected a ${protocols.join(' or ')} URL, got ${parsed.protocol}`);
  }
  return raw;
}

const isLoopback = (address: string) =>
  isIP(address) === 4 ? address.startsWith('127.') : address === '::1';

/**
 * The public URL's host is the relying party of the SOS passkeys (sharing/passkeys.ts), and
 * WebAuthn refuses an IP address there: on https://203.0.113.5 nobody could register a passkey,
 * which would be found out when someone needs one to cancel an SOS. Refused at start outside
 * demo mode. A loopback address is a server tried on this machine (tests, development), which
 * no phone reaches anyway; demo mode may be tried from a phone on a local network address.
 */
function refuseAddressHost(publicUrl: string, demo: boolean): void {
  const host = new URL(publicUrl).hostname.replace(/^\[|\]$/g, '');
  if (demo || !isIP(host) || isLoopback(host)) return;
  throw new ConfigError(
    'HAVRE_PUBLIC_URL',
    `its host ${host} is an IP address; use the domain name users reach (https://havre.example.fr): ` +
      'it names the SOS passkeys, and browsers refuse passkeys for an IP address',
  );
}

/** Pure: turns an environment into a validated Config, or throws ConfigError. */
export function loadConfig(env: Env, options: { demo?: boolean; cwd?: string } = {}): Config {
  const demo = options.demo ?? false;
  const cwd = options.cwd ?? process.cwd();
  const port = integer(env, 'HAVRE_PORT', 8080, 0, 65535);
  const host = env.HAVRE_HOST?.trim() || '127.0.0.1';
  const dataDir = resolve(cwd, env.HAVRE_DATA_DIR?.trim() || './var');

  let databaseUrl = env.HAVRE_DATABASE_URL?.trim() || `sqlite:${join(dataDir, 'havre.sqlite')}`;
  if (databaseUrl.startsWith('sqlite:')) {
    const path = databaseUrl.slice('sqlite:'.length);
    if (!path) throw new ConfigError('HAVRE_DATABASE_URL', 'sqlite: needs a file path');
    databaseUrl = path === ':memory:' ? 'sqlite::memory:' : `sqlite:${resolve(cwd, path)}`;
  } else if (!/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('HAVRE_DATABASE_URL', 'expected sqlite:PATH or postgres://…');
  }

  const publicUrl = (url(env, 'HAVRE_PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`).replace(
    /\/+$/,
    '',
  );
  refuseAddressHost(publicUrl, demo);

  const secret = env.HAVRE_SECRET?.trim() ?? '';
  if (secret && secret.length < 32) throw new ConfigError('HAVRE_SECRET', 'must be at least 32 characters');
  // The placeholder of docs/deploy/havre.env is long enough to pass the length check, and it is
  // public: an installation that kept it would sign sessions and tokens with a known key.
  if (/change-me/i.test(secret)) {
    throw new ConfigError(
      'HAVRE_SECRET',
      'is still the placeholder of the example file; replace it with a secret of your own (generate one: openssl rand -hex 32)',
    );
  }
  if (!secret && !demo) {
    throw new ConfigError(
      'HAVRE_SECRET',
      'is required outside demo mode (generate one: openssl rand -hex 32)',
    );
  }

  const logLevel = (env.HAVRE_LOG_LEVEL?.trim() || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('HAVRE_LOG_LEVEL', `expected one of ${LOG_LEVELS.join(', ')}`);
  }

  return {
    demo,
    port,
    host,
    dataDir,
    databaseUrl,
    redisUrl: url(env, 'HAVRE_REDIS_URL', ['redis:', 'rediss:']),
    publicUrl,
    secret,
    smtpUrl: url(env, 'HAVRE_SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom: env.HAVRE_MAIL_FROM?.trim() || 'Havre <no-reply@havre.example>',
    logLevel,
    kAnonymity: integer(env, 'HAVRE_K_ANONYMITY', 5, 3, 1000),
    reportRetentionMonths: integer(env, 'HAVRE_REPORT_RETENTION_MONTHS', 24, 2, 120),
    rateLimitPerMinute: integer(env, 'HAVRE_RATE_LIMIT', 600, 1, 100_000_000),
    sessionTtlDays: integer(env, 'HAVRE_SESSION_TTL_DAYS', 30, 1, 365),
    trustProxy: trustProxy(env),
    mapStyleUrl: url(env, 'HAVRE_MAP_STYLE_URL', ['http:', 'https:']),
    webDir: resolve(cwd, env.HAVRE_WEB_DIR?.trim() || './web/dist'),
    trailRetentionMs: duration(env, 'HAVRE_TRAIL_RETENTION', '24h', 30 * 86_400_000),
    checkinGraceMs: checkinGrace(env),
  };
}

/**
 * Demo mode only: a secret that was not configured is generated once and kept in the
 * data directory (mode 0600), so sessions and HMAC keys survive restarts.
 */
export function withPersistedSecret(config: Config): Config {
  if (config.secret) return config;
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 }); // as database.ts creates it
  const file = join(config.dataDir, 'secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return { ...config, secret: readFileSync(file, 'utf8').trim() };
}
