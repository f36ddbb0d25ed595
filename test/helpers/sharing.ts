/**
 * Factories for live-sharing tests: contacts made through the real invitation API, devices
 * with real Web Crypto key pairs, sessions whose key is wrapped for each device, and a small
 * WebSocket client that waits for messages.
 */
import WebSocket from 'ws';
import type { PushMessage, PushTransport } from '../../src/notify/push.ts';
import {
  encryptPosition,
  exportPublicKey,
  generateDeviceKeyPair,
  generateSessionKey,
  type Position,
  wrapSessionKey,
} from '../../src/shared/envelope.ts';
import type { TestApp } from './app.ts';

/** A Web Push transport that records what it would send. */
export class RecordingPush implements PushTransport {
  sent: PushMessage[] = [];
  async send(_target: unknown, message: PushMessage) {
    this.sent.push(message);
    return 'sent' as const;
  }
  async publicKey() {
    return 'BAAA';
  }
}

export type User = { id: string; email: string; token: string; auth: { authorization: string } };
export interface TestDevice {
  id: string;
  pair: CryptoKeyPair;
}

/** `owner` invites, `contact` accepts: contact may follow owner. Returns the relationship id. */
export async function befriend(t: TestApp, owner: User, contact: User): Promise<string> {
  const invite = await t.app.inject({ method: 'POST', url: '/api/contacts/invites', headers: owner.auth });
  if (invite.statusCode !== 201) throw new Error(`invite: ${invite.body}`);
  const accept = await t.app.inject({
    method: 'POST',
    url: '/api/contacts/invites/accept',
    headers: contact.auth,
    payload: { token: invite.json().token },
  });
  if (accept.statusCode !== 200) throw new Error(`accept: ${accept.body}`);
  return accept.json().id;
}

export async function addDevice(t: TestApp, user: User, label = 'Téléphone'): Promise<TestDevice> {
  const pair = await generateDeviceKeyPair();
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/devices',
    headers: user.auth,
    payload: { publicKey: await exportPublicKey(pair.publicKey), label },
  });
  if (res.statusCode !== 201) throw new Error(`device: ${res.body}`);
  return { id: res.json().id, pair };
}

export async function wrapFor(key: CryptoKey, devices: TestDevice[]) {
  return Promise.all(
    devices.map(async (d) => ({ deviceId: d.id, wrappedKey: await wrapSessionKey(key, d.pair.publicKey) })),
  );
}

export interface StartedShare {
  id: string;
  key: CryptoKey;
  view: Record<string, unknown>;
}

export async function startShare(
  t: TestApp,
  owner: User,
  devices: TestDevice[],
  options: Record<string, unknown> = {},
): Promise<StartedShare> {
  const key = await generateSessionKey();
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/shares',
    headers: owner.auth,
    payload: { mode: 'trip', visibility: 'live', recipients: await wrapFor(key, devices), ...options },
  });
  if (res.statusCode !== 201) throw new Error(`share: ${res.statusCode} ${res.body}`);
  return { id: res.json().id, key, view: res.json() };
}

export const inMinutes = (t: TestApp, minutes: number) =>
  new Date(t.clock.now() + minutes * 60_000).toISOString();

/** A position with recognisable digits, so privacy scans can look for them. */
export const POSITION: Position = {
  lat: 48.8566137,
  lon: 2.3522219,
  accuracy: 9,
  heading: 182,
  speed: 1.3,
  battery: 0.47,
  t: Date.parse('2026-11-28T21:05:00Z'),
};

export const seal = (share: StartedShare, seq: number, position: Position = POSITION) =>
  encryptPosition(share.key, share.id, seq, position);

// ---- WebSocket client ----

export async function listen(t: TestApp): Promise<string> {
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  return `${address.replace('http', 'ws')}/api/shares/ws`;
}

export class Client {
  readonly messages: Record<string, unknown>[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()));
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<Client> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      const client = new Client(ws);
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  send(value: unknown) {
    this.ws.send(JSON.stringify(value));
  }

  /** The first message (from the start) matching, waiting up to `ms`. */
  async next(match: (m: Record<string, unknown>) => boolean, ms = 3_000, from = 0) {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.messages.slice(from).find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching message; got ${JSON.stringify(this.messages)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  type = (type: string, extra: Record<string, unknown> = {}) =>
    this.next((m) => m.type === type && Object.entries(extra).every(([k, v]) => m[k] === v));

  /** Sends auth + join and waits for `joined`. */
  async join(share: string, auth?: { token?: string; guest?: string }) {
    if (auth) {
      this.send({ type: 'auth', ...auth });
      await this.type('ready');
    }
    this.send({ type: 'join', share });
    return this.next((m) => (m.type === 'joined' || m.type === 'error') && m.share === share);
  }

  close() {
    this.ws.close();
  }
}
