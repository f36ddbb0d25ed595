/**
 * Real Havre processes for multi-instance and fault tests: `havre serve` spawned on a free
 * port, the `havre` CLI, and a dedicated redis-server the test may stop and start again
 * without touching the Redis other tests share.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'havre.mjs');
export const REDIS_SERVER = '/usr/bin/redis-server';
export const hasRedisServer = existsSync(REDIS_SERVER);

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns something truthy (or throws after `ms`), and returns it. */
export async function until<T>(
  check: () => T | Promise<T>,
  what: string,
  ms = 20_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ''}`);
    await sleep(50);
  }
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));

export interface Instance {
  name: string;
  base: string;
  ws: string;
  child: ChildProcess;
  /** What the process wrote (pino logs at the chosen level on stdout, crashes on stderr). */
  output(): string;
  /** Whether the process is still running (a crash would show here). */
  alive(): boolean;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** `havre serve` with `env` on a free port; resolves once /api/health answers. */
export async function spawnHavre(name: string, env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, HAVRE_PUBLIC_URL: base, ...env, HAVRE_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr])
    stream?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
  const instance: Instance = {
    name,
    base,
    ws: `${base.replace('http', 'ws')}/api/shares/ws`,
    child,
    output: () => output,
    alive: () => child.exitCode === null && child.signalCode === null,
    async kill(signal = 'SIGKILL') {
      if (!instance.alive()) return;
      child.kill(signal);
      await exited(child);
    },
  };
  try {
    await until(
      async () => {
        if (!instance.alive()) throw new Error(`instance ${name} exited: ${output}`);
        return (await fetch(`${base}/api/health`)).ok;
        // tsx compiles the sources at start: slow on a loaded machine.
      },
      `instance ${name} to answer`,
      90_000,
    );
  } catch (error) {
    await instance.kill();
    throw new Error(`${(error as Error).message}\n${output.slice(-2000)}`);
  }
  return instance;
}

/** Runs the `havre` CLI with `env` and returns its output. */
export function havre(args: string[], env: Record<string, string>): string {
  return execFileSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: 'pipe',
  }).toString();
}

/**
 * Environment of instances that share one database, Redis (optional) and the test's SMTP
 * server, with Paris imported; give each instance its own HAVRE_DATA_DIR under `dir`.
 */
export function clusterEnv(o: {
  databaseUrl: string;
  redisUrl?: string;
  smtpPort: number;
  dir: string;
}): Record<string, string> {
  const env: Record<string, string> = {
    HAVRE_DATABASE_URL: o.databaseUrl,
    // One secret per cluster: counters keyed by HMAC(secret, …) live in the shared Redis, and
    // a fixed secret made a sign-up quota outlast the run (the 6th run in an hour got no mail).
    HAVRE_SECRET: `cluster-test-${randomBytes(16).toString('hex')}`,
    HAVRE_SMTP_URL: `smtp://127.0.0.1:${o.smtpPort}`,
    HAVRE_LOG_LEVEL: 'warn',
    HAVRE_RATE_LIMIT: '100000',
    HAVRE_WEB_DIR: join(o.dir, 'no-web'),
    HAVRE_DATA_DIR: join(o.dir, 'cli'),
    ...(o.redisUrl ? { HAVRE_REDIS_URL: o.redisUrl } : {}),
  };
  // As an installation starts: the schema first (the other commands refuse one behind).
  havre(['migrate'], env);
  havre(['territory', 'import', join(ROOT, 'data/territories/paris-arrondissements.geojson')], env);
  return env;
}

export interface RedisProcess {
  url: string;
  start(): Promise<void>;
  /** SIGKILL: Redis vanishes as in a crash or a network loss, connections are reset. */
  stop(): Promise<void>;
}

/** A redis-server of the test's own (no persistence), on a free port kept across restarts. */
export async function dedicatedRedis(): Promise<RedisProcess> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const redis: RedisProcess = {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      const started = spawn(
        REDIS_SERVER,
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: 'ignore' },
      );
      child = started;
      await until(
        () =>
          new Promise<boolean>((resolve) => {
            if (started.exitCode !== null) throw new Error('redis-server exited');
            const probe = connect(port, '127.0.0.1', () => {
              probe.destroy();
              resolve(true);
            });
            probe.once('error', () => resolve(false));
          }),
        'redis-server to listen',
      );
    },
    async stop() {
      if (!child) return;
      child.kill('SIGKILL');
      await exited(child);
      child = null;
    },
  };
  await redis.start();
  return redis;
}
