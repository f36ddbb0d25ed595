/**
 * People using spawned Havre instances the way the PWA does, over HTTP and WebSocket: sign-up
 * (verify-first, the link read from the test's SMTP server), a device key pair, contacts,
 * shares whose key each contact unwraps with its own device.
 */
import {
  exportPublicKey,
  generateDeviceKeyPair,
  generateSessionKey,
  unwrapSessionKey,
  wrapSessionKey,
} from '../../src/shared/envelope.ts';
import { type Instance, until } from './instances.ts';
import { Client, type StartedShare } from './sharing.ts';
import type { Received } from './smtp.ts';

export interface Person {
  email: string;
  token: string;
  auth: Record<string, string>;
  device: { id: string; pair: CryptoKeyPair };
}

/** Undoes quoted-printable soft line breaks, which may cut a long link. */
export const unfold = (mail: string) => mail.replace(/=\r?\n/g, '');

/** One request; `body` makes it a POST. */
export async function call(base: string, path: string, who: Pick<Person, 'auth'> | null, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      ...(who?.auth ?? {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = res.headers.get('content-type')?.includes('json') && text ? JSON.parse(text) : null;
  return { status: res.status, json, type: res.headers.get('content-type') ?? '' };
}

function expectStatus(what: string, got: { status: number; json: unknown }, status: number) {
  if (got.status !== status) throw new Error(`${what}: ${got.status} ${JSON.stringify(got.json)}`);
}

/** Verify-first sign-up on `base`, then a device; `mails` is what the SMTP server received. */
export async function signup(base: string, email: string, mails: Received[]): Promise<Person> {
  expectStatus(
    'sign-up',
    await call(base, '/api/auth/signup', null, { email, password: 'correct-horse-battery' }),
    202,
  );
  const confirm = await until(
    () =>
      mails
        .filter((m) => m.to.includes(email))
        .map((m) => /\/inscription\/confirmer#([A-Za-z0-9_-]+)/.exec(unfold(m.data))?.[1])
        .find(Boolean),
    `the sign-up e-mail to ${email}`,
  );
  const res = await fetch(`${base}/api/auth/signup/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: confirm }),
  });
  if (res.status !== 201) throw new Error(`sign-up completion: ${res.status}`);
  const token = /havre_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';
  const auth = { authorization: `Bearer ${token}` };
  const pair = await generateDeviceKeyPair();
  const device = await call(
    base,
    '/api/devices',
    { auth },
    { publicKey: await exportPublicKey(pair.publicKey), label: 'Téléphone' },
  );
  expectStatus('device', device, 201);
  return { email, token, auth, device: { id: device.json.id, pair } };
}

/** `owner` invites on one instance, `contact` accepts on another: contact may follow owner. */
export async function befriend(owner: Person, on: Instance, contact: Person, acceptOn: Instance) {
  const invite = await call(on.base, '/api/contacts/invites', owner, {});
  expectStatus('invite', invite, 201);
  expectStatus(
    'accept',
    await call(acceptOn.base, '/api/contacts/invites/accept', contact, { token: invite.json.token }),
    200,
  );
}

/** `owner` starts a share on `on` for `watcher`, who unwraps its key on `readOn`. */
export async function share(
  owner: Person,
  on: Instance,
  watcher: Person,
  readOn: Instance,
  options: Record<string, unknown> = {},
): Promise<StartedShare> {
  const key = await generateSessionKey();
  const started = await call(on.base, '/api/shares', owner, {
    mode: 'trip',
    visibility: 'live',
    recipients: [
      { deviceId: watcher.device.id, wrappedKey: await wrapSessionKey(key, watcher.device.pair.publicKey) },
    ],
    ...options,
  });
  expectStatus('share', started, 201);
  const seen = await call(readOn.base, `/api/shares/${started.json.id}`, watcher);
  expectStatus('share seen by the contact', seen, 200);
  const unwrapped = await unwrapSessionKey(seen.json.wrappedKeys[0].wrappedKey, watcher.device.pair);
  return { id: started.json.id, key: unwrapped, view: started.json };
}

/** A relay socket on `on`, authenticated as `who`, once `ready`. */
export async function socket(on: Instance, who: Person, opened: Client[] = []): Promise<Client> {
  const client = await Client.open(on.ws, who.auth);
  opened.push(client);
  await client.type('ready');
  return client;
}

/** Seqs acknowledged to a sharer (one ack frame may carry several: `seqs`). */
export const acks = (client: Client) =>
  client.messages
    .filter((m) => m.type === 'ack')
    .flatMap((m) => (Array.isArray(m.seqs) ? (m.seqs as number[]) : [m.seq as number]));

/** Seqs of the position frames of `shareId` a socket received. */
export const positions = (client: Client, shareId: string) =>
  client.messages.filter((m) => m.type === 'pos' && m.share === shareId).map((m) => m.seq as number);
