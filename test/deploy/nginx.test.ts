/**
 * The deployment guide's nginx configuration (docs/deploy/nginx.conf), run for real by
 * Debian's nginx in front of two Havre instances sharing PostgreSQL and Redis: plain
 * requests, the WebSocket upgrade of the relay and Server-Sent Events pass through, plain
 * HTTP is redirected to HTTPS, and a client's own X-Forwarded-For does not reach Havre.
 * The file as shipped (443 with certificates to fill) is checked by `nginx -t`.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { hashPassword } from '../../src/accounts/passwords.ts';
import { createSession, createUser, grantStaff } from '../../src/accounts/store.ts';
import { loadConfig } from '../../src/server/config.ts';
import { type Running, startServer } from '../../src/server/main.ts';
import { loadBundledTerritories } from '../../src/territories/bundled.ts';
import { importTerritories } from '../../src/territories/import.ts';
import { POSTGRES_URL, REDIS_URL } from '../helpers/backends.ts';
import { freshPostgresDatabase } from '../helpers/postgres-database.ts';

const NGINX = '/usr/sbin/nginx';
const root = fileURLToPath(new URL('../..', import.meta.url));
const SHIPPED = readFileSync(join(root, 'docs/deploy/nginx.conf'), 'utf8');

/** Puts the parts of the shipped configuration a test replaces in a nginx.conf of its own. */
function wrap(dir: string, conf: string): string {
  return `daemon off;\nworker_processes 1;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log warn;\nevents { worker_connections 256; }\nhttp {\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;\n  fastcgi_temp_path ${dir}/fastcgi;\n  uwsgi_temp_path ${dir}/uwsgi;\n  scgi_temp_path ${dir}/scgi;\n${conf}\n}\n`;
}

/** `conf` with each edit applied once; an edit that finds nothing is an error (the file changed). */
function edited(conf: string, edits: [RegExp, string][]): string {
  return edits.reduce((text, [pattern, replacement]) => {
    if (!pattern.test(text)) throw new Error(`docs/deploy/nginx.conf has no ${pattern}`);
    return text.replace(pattern, replacement);
  }, conf);
}

/**
 * The shipped file on this test's ports: the two instances' upstream lines, plain HTTP on
 * loopback in place of 443 with the operator's certificates, the redirect block on a port of
 * its own; everything else as shipped.
 */
function forThisTest(conf: string, ports: { a: number; b: number; proxy: number; redirect: number }) {
  return edited(conf, [
    [/server 127\.0\.0\.1:8081 /, `server 127.0.0.1:${ports.a} `],
    [/server 127\.0\.0\.1:8082 /, `server 127.0.0.1:${ports.b} `],
    [/listen 80;/, `listen 127.0.0.1:${ports.redirect};`],
    [/\n\s*listen \[::\]:80;/, ''],
    [/listen 443 ssl;/, `listen 127.0.0.1:${ports.proxy};`],
    [/\n\s*listen \[::\]:443 ssl;/, ''],
    [/\n\s*ssl_certificate .*;/, ''],
    [/\n\s*ssl_certificate_key .*;/, ''],
  ]);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe.runIf(POSTGRES_URL && REDIS_URL && existsSync(NGINX))('nginx in front of two instances', () => {
  let database: Awaited<ReturnType<typeof freshPostgresDatabase>>;
  const instances: Running[] = [];
  let nginx: ChildProcess;
  let dir: string;
  let base: string;
  let redirect: string;
  let staffToken: string;

  beforeAll(async () => {
    database = await freshPostgresDatabase('havre_nginx');
    dir = mkdtempSync(join(tmpdir(), 'havre-nginx-'));
    const [portA, portB, portProxy, portRedirect] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    base = `http://127.0.0.1:${portProxy}`;
    redirect = `http://127.0.0.1:${portRedirect}`;
    for (const port of [portA, portB]) {
      const config = loadConfig({
        HAVRE_PORT: String(port),
        HAVRE_DATABASE_URL: database.url,
        HAVRE_REDIS_URL: REDIS_URL!,
        HAVRE_SECRET: 'n'.repeat(40),
        HAVRE_PUBLIC_URL: base,
        HAVRE_TRUST_PROXY: '1',
        HAVRE_LOG_LEVEL: 'warn',
        HAVRE_DATA_DIR: join(dir, `data-${port}`),
        HAVRE_WEB_DIR: join(dir, 'no-web'),
      });
      instances.push(await startServer(config));
    }
    const services = instances[0].services;
    await importTerritories(services, loadBundledTerritories());
    const staff = await createUser(services.db.kysely, {
      email: 'staff@example.org',
      passwordHash: await hashPassword('a-long-password'),
      now: Date.now(),
    });
    await grantStaff(services.db.kysely, staff, '75117');
    staffToken = await createSession(services.db.kysely, staff, Date.now(), 3_600_000);

    const conf = forThisTest(SHIPPED, { a: portA, b: portB, proxy: portProxy, redirect: portRedirect });
    writeFileSync(join(dir, 'nginx.conf'), wrap(dir, conf));
    nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      if ((await fetch(`${base}/api/health`).catch(() => null))?.status === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  afterAll(async () => {
    nginx?.kill('SIGTERM');
    for (const instance of instances) await instance.stop();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps /metrics private: 403 through nginx, served on the instance port for the scraper', async () => {
    const proxied = await fetch(`${base}/metrics`);
    expect(proxied.status).toBe(403);
    await proxied.body?.cancel();
    // Spellings nginx normalises to /metrics (query, doubled slash, percent-encoding) are denied
    // too; the others do not reach Havre's /metrics route.
    for (const path of ['/metrics?x=1', '//metrics', '/%6Detrics', '/metrics/', '/METRICS']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).not.toBe(200);
      expect(await res.text(), path).not.toContain('havre_job_lease_held');
    }
    const direct = await fetch(`${instances[0].url}/metrics`);
    expect(direct.status).toBe(200);
    expect(await direct.text()).toContain('havre_job_lease_held');
  });

  it('is valid as shipped, 443 with the certificates to fill and the port-80 redirect (nginx -t)', () => {
    const check = mkdtempSync(join(tmpdir(), 'havre-nginx-t-'));
    try {
      // A certificate where the file expects the operator's: nginx -t loads both files.
      execFileSync('openssl', [
        ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=havre.example.fr'],
        ...['-keyout', join(check, 'privkey.pem'), '-out', join(check, 'fullchain.pem')],
      ]);
      const conf = SHIPPED.replaceAll('/etc/letsencrypt/live/havre.example.fr', check);
      expect(conf).toMatch(/listen 443 ssl;[\s\S]*ssl_certificate .*fullchain\.pem;/);
      expect(SHIPPED).not.toMatch(/@[A-Z_]+@/); // no placeholder left for the operator to guess
      writeFileSync(join(check, 'nginx.conf'), wrap(check, conf));
      execFileSync(NGINX, ['-t', '-q', '-p', check, '-c', join(check, 'nginx.conf')], { stdio: 'pipe' });
    } finally {
      rmSync(check, { recursive: true, force: true });
    }
  });

  it('redirects plain HTTP to HTTPS, path and query kept', async () => {
    const res = await fetch(`${redirect}/partenaires?x=1`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    // The host the browser asked for (here the test's 127.0.0.1), on the default HTTPS port.
    expect(res.headers.get('location')).toBe('https://127.0.0.1/partenaires?x=1');
  });

  it('replaces the client’s X-Forwarded-For: forged addresses share the quota of the real one', async () => {
    const remaining: number[] = [];
    for (const forged of ['10.9.0.1', '10.9.1.1', '10.9.2.1']) {
      const res = await fetch(`${base}/api/config`, { headers: { 'x-forwarded-for': forged } });
      expect(res.status).toBe(200);
      remaining.push(Number(res.headers.get('x-ratelimit-remaining')));
      await res.body?.cancel();
    }
    // One counter (the address nginx saw), whichever instance answered; not a fresh one each.
    expect(remaining[1]).toBeLessThan(remaining[0]);
    expect(remaining[2]).toBeLessThan(remaining[1]);
  });

  it('balances plain requests over both instances', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 10 }, () => fetch(`${base}/api/ready`).then((r) => r.json())),
    );
    expect(statuses.every((s) => s.status === 'ready' && s.redis === true)).toBe(true);
  });

  it('passes the WebSocket upgrade of the relay, with the Origin of the public URL', async () => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/shares/ws`, {
      headers: { origin: base, authorization: `Bearer ${staffToken}` },
    });
    const first = await new Promise<unknown>((resolve, reject) => {
      ws.once('message', (data) => resolve(JSON.parse(String(data))));
      ws.once('error', reject);
    });
    expect(first).toEqual({ type: 'ready' });
    ws.close();
  });

  it('streams Server-Sent Events of the dashboard without buffering', async () => {
    const controller = new AbortController();
    const res = await fetch(`${base}/api/territories/75117/live`, {
      headers: { authorization: `Bearer ${staffToken}`, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toMatch(/event: |data: |: /);
    controller.abort();
  });
});
