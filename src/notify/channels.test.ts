import { execFileSync } from 'node:child_process';
import { createECDH, randomBytes, randomUUID } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { createRequire } from 'node:module';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, userWith } from '../../test/helpers/app.ts';
import { backends } from '../../test/helpers/backends.ts';
import { addressKind, guardedLookup } from './endpoint-guard.ts';
import { notifyUser } from './notify-user.ts';
import { deliverDue, enqueueEmail, purgeSentMessages, SENT_RETENTION_MS } from './outbox.ts';
import { loadVapidKeys, webPushTransport } from './push.ts';
import { normalisePhone } from './sms.ts';

const ece = createRequire(import.meta.url)('http_ece') as {
  decrypt(body: Buffer, params: { version: string; privateKey: unknown; authSecret: Buffer }): Buffer;
};

/** A local push service over HTTPS (self-signed), answering each POST with `status`. */
class LocalPushService {
  server!: Server;
  received: { path: string; headers: Record<string, unknown>; body: Buffer }[] = [];
  status = 201;
  ca!: Buffer;
  private dir = mkdtempSync(join(tmpdir(), 'havre-push-'));

  async start(): Promise<string> {
    const key = join(this.dir, 'key.pem');
    const cert = join(this.dir, 'cert.pem');
    const args = '-x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=127.0.0.1'.split(
      ' ',
    );
    execFileSync(
      'openssl',
      ['req', ...args, '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert],
      {
        stdio: 'ignore',
      },
    );
    this.ca = readFileSync(cert);
    this.server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(this.status).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    return `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  async stop() {
    await new Promise((resolve) => this.server.close(resolve));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

describe('phone numbers', () => {
  it('normalises French and international numbers, refuses the rest', () => {
    expect(normalisePhone('06 12 34 56 78')).toBe('+33612345678');
    expect(normalisePhone('+262 692 12 34 56')).toBe('+262692123456');
    expect(normalisePhone('12345')).toBeNull();
    expect(normalisePhone('+33 6 12 34 ab 78')).toBeNull();
  });
});

describe.each(backends())('notification channels on %s', (backend) => {
  let t: TestApp;
  const pushService = new LocalPushService();
  let base: string;
  beforeAll(async () => {
    base = await pushService.start();
  });
  afterAll(async () => {
    await pushService.stop();
  });
  beforeEach(async () => {
    t = await makeTestApp(backend);
    await t.services.outbox.stop(); // these tests deliver by hand
    t.services.push = webPushTransport(t.services.db.kysely, t.services.config, t.clock.now, {
      agentOptions: { ca: pushService.ca },
    });
    pushService.received = [];
    pushService.status = 201;
  });
  afterEach(async () => {
    await t.close();
  });

  /** A browser-side subscription: its ECDH key pair and auth secret, as PushManager makes them. */
  function browserSubscription(path: string) {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const authSecret = randomBytes(16);
    return {
      ecdh,
      authSecret,
      body: {
        endpoint: `${base}${path}`,
        keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: authSecret.toString('base64url') },
        expirationTime: null,
      },
    };
  }

  it('generates the VAPID key pair once and keeps it in the database', async () => {
    const res = await t.app.inject({ url: '/api/push/key' });
    const { publicKey } = res.json();
    expect(Buffer.from(publicKey, 'base64url')).toHaveLength(65);
    expect((await loadVapidKeys(t.services.db.kysely, 0)).publicKey).toBe(publicKey);
    expect((await t.app.inject({ url: '/api/push/key' })).json().publicKey).toBe(publicKey);
  });

  it('delivers an encrypted Web Push with a VAPID signature, readable only by the browser', async () => {
    const bob = await userWith(t);
    const sub = browserSubscription('/push/bob');
    const reg = await t.app.inject({
      method: 'POST',
      url: '/api/push/subscriptions',
      headers: bob.auth,
      payload: sub.body,
    });
    expect(reg.statusCode).toBe(201);
    await notifyUser(
      t.services.db.kysely,
      t.clock.now(),
      bob.id,
      () => ({
        subject: 'Havre : alerte',
        text: 'texte',
        short: 'Alerte Havre',
        url: 'http://localhost:8080/suivre/x',
      }),
      { push: true },
    );
    expect(await deliverDue(t.services)).toBe(1);
    expect(pushService.received).toHaveLength(1);
    const request = pushService.received[0];
    expect(request.path).toBe('/push/bob');
    expect(request.headers['content-encoding']).toBe('aes128gcm');
    expect(String(request.headers.authorization)).toMatch(/^vapid t=.+, k=.+$/);
    expect(request.body.toString('latin1')).not.toContain('Alerte');
    const plain = ece.decrypt(request.body, {
      version: 'aes128gcm',
      privateKey: sub.ecdh,
      authSecret: sub.authSecret,
    });
    expect(JSON.parse(plain.toString())).toEqual({
      title: 'Havre : alerte',
      body: 'Alerte Havre',
      url: 'http://localhost:8080/suivre/x',
    });
  });

  it('forgets a subscription the push service says is gone (410), and retries other failures', async () => {
    const bob = await userWith(t);
    await t.app.inject({
      method: 'POST',
      url: '/api/push/subscriptions',
      headers: bob.auth,
      payload: browserSubscription('/push/gone').body,
    });
    const notice = () => ({ subject: 's', text: 't', short: 'x', url: 'http://localhost:8080/' });
    pushService.status = 500;
    await notifyUser(t.services.db.kysely, t.clock.now(), bob.id, notice, { push: true });
    expect(await deliverDue(t.services)).toBe(0);
    const failed = await t.services.db.kysely.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    expect(failed).toMatchObject({ attempts: 1, sent_at: null, last_error: 'WebPushError:500' });

    pushService.status = 410;
    t.clock.advance(10_000);
    expect(await deliverDue(t.services)).toBe(1);
    expect(await t.services.db.kysely.selectFrom('push_subscriptions').selectAll().execute()).toEqual([]);
    const gone = await t.services.db.kysely.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    expect(gone.last_error).toBe('gone');
  });

  it('accepts only https endpoints; a browser re-subscribing replaces its row', async () => {
    const bob = await userWith(t);
    const plain = browserSubscription('/x').body;
    const http = await t.app.inject({
      method: 'POST',
      url: '/api/push/subscriptions',
      headers: bob.auth,
      payload: { ...plain, endpoint: 'http://push.example.net/x' },
    });
    expect(http.statusCode).toBe(400);
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/push/subscriptions',
      headers: bob.auth,
      payload: plain,
    });
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/push/subscriptions',
      headers: bob.auth,
      payload: plain,
    });
    expect(first.json().id).not.toBe(second.json().id);
    expect(await t.services.db.kysely.selectFrom('push_subscriptions').selectAll().execute()).toHaveLength(1);
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/push/subscriptions/${second.json().id}`,
      headers: bob.auth,
    });
    expect(del.statusCode).toBe(204);
  });

  /** This machine's name as an endpoint, if it resolves to a loopback or private address (usual). */
  async function localName(): Promise<string[]> {
    const { address } = await lookup(hostname()).catch(() => ({ address: '8.8.8.8' }));
    return addressKind(address) === 'public' ? [] : [`https://${hostname()}/push`];
  }

  it('refuses push endpoints in private, loopback and link-local networks with 400 (SSRF)', async () => {
    const prod = await makeTestApp(backend, { env: { HAVRE_PUBLIC_URL: 'https://havre.example' } });
    try {
      const bob = await userWith(prod);
      const keys = browserSubscription('/x').body.keys;
      const subscribe = (endpoint: string) =>
        prod.app.inject({
          method: 'POST',
          url: '/api/push/subscriptions',
          headers: bob.auth,
          payload: { endpoint, keys },
        });
      for (const endpoint of [
        'https://127.0.0.1/push',
        'https://127.8.9.10:8443/push',
        'https://localhost/push',
        'https://LocalHost./push', // the same name, fully qualified
        ...(await localName()), // this machine's name, when it resolves to a local address
        'https://10.0.0.5/push',
        'https://172.16.3.4/push',
        'https://192.168.1.1/push',
        'https://169.254.169.254/latest/meta-data/', // cloud metadata
        'https://100.64.0.1/push',
        'https://0.0.0.0/push',
        'https://[::1]/push',
        'https://[fe80::1]/push',
        'https://[fd12:3456::1]/push',
        'https://[::ffff:10.0.0.1]/push',
        'https://[::ffff:7f00:1]/push',
        'https://user:secret@push.example.net/push',
        'http://push.example.net/push',
      ]) {
        const res = await subscribe(endpoint);
        expect(res.statusCode, endpoint).toBe(400);
        expect(res.headers['content-type'], endpoint).toContain('application/problem+json');
        expect(res.json().code, endpoint).toBe('HAVRE_ERR_PUSH_ENDPOINT_REFUSED');
      }
      expect(await prod.services.db.kysely.selectFrom('push_subscriptions').selectAll().execute()).toEqual(
        [],
      );
      // Public addresses stay accepted (the names of the browsers' push services resolve to them).
      expect((await subscribe('https://8.8.8.8/push')).statusCode).toBe(201);
      expect((await subscribe('https://[2606:4700::1111]/push')).statusCode).toBe(201);
    } finally {
      await prod.close();
    }
  });

  it('checks the address again at send time: a private endpoint gets nothing and is forgotten', async () => {
    const prod = await makeTestApp(backend, { env: { HAVRE_PUBLIC_URL: 'https://havre.example' } });
    try {
      await prod.services.outbox.stop();
      prod.services.push = webPushTransport(prod.services.db.kysely, prod.services.config, prod.clock.now, {
        agentOptions: { ca: pushService.ca },
      });
      const bob = await userWith(prod);
      // A row written before the rule (or by a bug): the local push service on 127.0.0.1.
      const { body } = browserSubscription('/rebound');
      await prod.services.db.kysely
        .insertInto('push_subscriptions')
        .values({
          id: randomUUID(),
          user_id: bob.id,
          endpoint: body.endpoint,
          p256dh: body.keys.p256dh,
          auth: body.keys.auth,
          created_at: prod.clock.now(),
        })
        .execute();
      const notice = () => ({
        subject: 's',
        text: 't',
        short: 'Alerte Havre',
        url: 'https://havre.example/x',
      });
      await notifyUser(prod.services.db.kysely, prod.clock.now(), bob.id, notice, { push: true });
      expect(await deliverDue(prod.services)).toBe(1);
      expect(pushService.received).toEqual([]);
      expect(await prod.services.db.kysely.selectFrom('push_subscriptions').selectAll().execute()).toEqual(
        [],
      );
    } finally {
      await prod.close();
    }
  });

  it('fails the connection when a name resolves to a refused address (DNS rebinding)', async () => {
    const lookup = guardedLookup(false);
    const outcome = await new Promise<{ code?: string; address?: unknown }>((resolve) =>
      lookup('localhost', { all: true }, (error, address) =>
        resolve({ code: (error as { code?: string })?.code, address }),
      ),
    );
    expect(outcome.code).toBe('EPRIVATEADDRESS');
    const dev = await new Promise<unknown>((resolve) =>
      guardedLookup(true)('localhost', {}, (error, address) => resolve(error ?? address)),
    );
    expect(dev).toMatch(/^(127\.0\.0\.1|::1)$/);
    expect(['8.8.8.8', '2606:4700::1111', '::ffff:8.8.4.4'].map(addressKind)).toEqual([
      'public',
      'public',
      'public',
    ]);
    expect(['127.0.0.1', '::1', '::ffff:127.0.0.1'].map(addressKind)).toEqual([
      'loopback',
      'loopback',
      'loopback',
    ]);
    expect(
      ['10.1.2.3', '169.254.1.1', 'fe80::1', 'fc00::1', '::ffff:192.168.0.1', '64:ff9b::a00:1'].map(
        addressKind,
      ),
    ).toEqual(Array(6).fill('private'));
  });

  it('sends alert SMS through the development gateway, which records them', async () => {
    const bob = await userWith(t);
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/me/phone',
      headers: bob.auth,
      payload: { phone: 'call me' },
    });
    expect(bad.statusCode).toBe(400);
    const set = await t.app.inject({
      method: 'PUT',
      url: '/api/me/phone',
      headers: bob.auth,
      payload: { phone: '06 12 34 56 78' },
    });
    expect(set.json()).toEqual({ phone: '+33612345678' });
    await notifyUser(
      t.services.db.kysely,
      t.clock.now(),
      bob.id,
      () => ({
        subject: 's',
        text: 't',
        short: 'Alerte Havre',
        url: 'http://localhost:8080/suivre/x',
      }),
      { sms: true },
    );
    expect(await deliverDue(t.services)).toBe(1);
    const sms = await t.services.db.kysely.selectFrom('dev_sms').selectAll().execute();
    expect(sms).toMatchObject([
      { phone: '+33612345678', text: 'Alerte Havre http://localhost:8080/suivre/x', user_id: bob.id },
    ]);
    const exported = (await t.app.inject({ url: '/api/me/export', headers: bob.auth })).json();
    expect(exported.alertPhoneNumber.phone).toBe('+33612345678');
  });

  it('deletes delivered messages after 7 days, and keeps undelivered ones until they are sent', async () => {
    const bob = await userWith(t);
    const k = t.services.db.kysely;
    await enqueueEmail(k, t.clock.now(), { userId: bob.id, to: bob.email, subject: 's', text: 'sent' });
    await deliverDue(t.services);
    t.mail.failing = true;
    await enqueueEmail(k, t.clock.now(), { userId: bob.id, to: bob.email, subject: 's', text: 'stuck' });
    await deliverDue(t.services);
    t.clock.advance(SENT_RETENTION_MS - 1);
    expect(await purgeSentMessages(t.services)).toBe(0);
    t.clock.advance(2);
    expect(await purgeSentMessages(t.services)).toBe(1);
    const left = await k.selectFrom('outbox').select(['payload', 'sent_at']).execute();
    expect(left).toEqual([{ payload: expect.stringContaining('stuck'), sent_at: null }]);
  });
});
