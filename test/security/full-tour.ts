/**
 * Alice takes a full tour of Havre, so that privacy scans (erasure, export) see every kind of
 * personal datum the schema can hold: sign-up by the e-mailed link (and a second attempt),
 * a password reset and a second session, devices, trusted contacts both ways and a pending
 * invitation, push subscription, alert phone and SOS PIN, share sessions with a trail (relay
 * and HTTP fallback), a guest link, a missed check-in, an SOS, keys of Bob's session wrapped for
 * her devices, Bob's SOS alerting her, a partner venue with edits and a training, a city action
 * as staff of Paris 17e, anonymous reports, and an export.
 *
 * Returns what the scans look for: `needles` can be found in the database once the tour is
 * over; `secrets` were never stored in clear (or are gone once used).
 */
import { expect } from 'vitest';
import { hashToken } from '../../src/accounts/tokens.ts';
import { exportPublicKey } from '../../src/shared/envelope.ts';
import { fireDueTimers } from '../../src/sharing/timers.ts';
import { makeTestApp, TEST_PASSWORD, type TestApp, userWith } from '../helpers/app.ts';
import type { Backend } from '../helpers/backends.ts';
import { SoftAuthenticator } from '../helpers/passkey.ts';
import { addTerritories, PLACES, POLYGON, reportBody } from '../helpers/reports.ts';
import {
  addDevice,
  befriend,
  Client,
  inMinutes,
  listen,
  RecordingPush,
  seal,
  startShare,
  type User,
  wrapFor,
} from '../helpers/sharing.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One request as `user` (anonymous if null); throws when `expected` is given and not met. */
export function caller(t: TestApp) {
  return async (user: User | null, method: Method, url: string, payload?: unknown, expected?: number) => {
    const res = await t.app.inject({
      method,
      url,
      headers: user?.auth ?? {},
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    if (expected !== undefined && res.statusCode !== expected) {
      throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    }
    return res;
  };
}

export interface Tour {
  alice: User;
  bob: User;
  carol: User;
  needles: Record<string, string>;
  secrets: Record<string, string>;
}

/** A test app the tour can run on: Paris 17e, a push transport that records. */
export async function appForTour(backend: Backend['name']): Promise<TestApp> {
  const t = await makeTestApp(backend);
  t.services.push = new RecordingPush();
  await addTerritories(t, ['75117']);
  return t;
}

/** On an app made by `appForTour`. */
export async function takeFullTour(t: TestApp): Promise<Tour> {
  const call = caller(t);
  /** The token of the last e-mail to `email` with a link to `path`. */
  async function mailedToken(email: string, path: string): Promise<string> {
    const pattern = new RegExp(`${path}#([\\w-]+)`);
    await expect.poll(() => t.mail.sent.some((m) => m.to === email && pattern.test(m.text))).toBe(true);
    return t.mail.sent.findLast((m) => m.to === email && pattern.test(m.text))!.text.match(pattern)![1];
  }

  const url = await listen(t);
  const email = 'alice.erasure@example.org';
  const needles: Record<string, string> = { email };

  // Sign-up, verify-first; a second attempt leaves a pending sign-up and a notice.
  await call(null, 'POST', '/api/auth/signup', { email, password: TEST_PASSWORD }, 202);
  const signupToken = await mailedToken(email, '/inscription/confirmer');
  await call(null, 'POST', '/api/auth/signup', {
    email: 'ALICE.erasure@example.org',
    password: TEST_PASSWORD,
  });
  const done = await call(null, 'POST', '/api/auth/signup/complete', { token: signupToken }, 201);
  const cookie = done.cookies.find((c) => c.name === 'havre_session')!.value;
  const alice: User = {
    id: done.json().id,
    email,
    token: cookie,
    auth: { authorization: `Bearer ${cookie}` },
  };
  await call(null, 'POST', '/api/auth/signup', { email, password: TEST_PASSWORD }, 202); // "someone tried"
  Object.assign(needles, { id: alice.id, sessionHash: hashToken(cookie) });
  // Never stored in clear (only hashes), or gone once used: looked for after the erasure only.
  const secrets: Record<string, string> = {
    session: cookie,
    signupToken,
    signupTokenHash: hashToken(signupToken),
  };
  await call(alice, 'PATCH', '/api/me', { locale: 'en' }, 200);

  // A password reset, a second session by login.
  await call(null, 'POST', '/api/auth/password-reset', { email }, 202);
  const resetToken = await mailedToken(email, '/compte/nouveau-mot-de-passe');
  needles.resetTokenHash = hashToken(resetToken);
  const login = await call(null, 'POST', '/api/auth/login', { email, password: TEST_PASSWORD }, 200);
  const second = login.cookies.find((c) => c.name === 'havre_session')!.value;
  needles.secondSessionHash = hashToken(second);

  const bob = await userWith(t, { email: 'bob@example.org' });
  const carol = await userWith(t, { email: 'carol@example.org' });

  // Devices, contacts both ways, an invitation nobody accepted.
  const aliceDevice = await addDevice(t, alice, 'Téléphone d’Alice');
  const aliceTablet = await addDevice(t, alice, 'Tablette');
  const bobDevice = await addDevice(t, bob);
  Object.assign(needles, {
    device: aliceDevice.id,
    tablet: aliceTablet.id,
    devicePublicKey: await exportPublicKey(aliceDevice.pair.publicKey),
    deviceLabel: 'Téléphone d’Alice',
  });
  needles.aliceFollowsBob = await befriend(t, bob, alice);
  needles.bobFollowsAlice = await befriend(t, alice, bob);
  const pending = (await call(alice, 'POST', '/api/contacts/invites', undefined, 201)).json().token as string;
  needles.pendingInvite = hashToken(pending);

  // Alert channels.
  const endpoint = 'https://push.example.net/sub/alice-4f9c2e';
  const p256dh = Buffer.alloc(65, 0x5a).toString('base64url');
  const auth = Buffer.alloc(16, 0x3c).toString('base64url');
  const sub = await call(alice, 'POST', '/api/push/subscriptions', { endpoint, keys: { p256dh, auth } });
  expect(sub.statusCode).toBeLessThan(300);
  Object.assign(needles, { endpoint, p256dh, auth });
  await call(alice, 'PUT', '/api/me/phone', { phone: '+33698765432' });
  needles.phone = '+33698765432';
  await call(alice, 'PUT', '/api/sos/pin', { pin: '7391', password: TEST_PASSWORD });
  // A passkey that confirms an SOS cancel, and a challenge left pending (she closed the prompt).
  const phone = new SoftAuthenticator(t.services.config.publicUrl);
  const passkeyOptions = (await call(alice, 'POST', '/api/sos/passkeys/options', {}, 200)).json();
  const credential = phone.register(passkeyOptions);
  await call(
    alice,
    'POST',
    '/api/sos/passkeys',
    { credential, label: 'Téléphone d’Alice', password: TEST_PASSWORD },
    201,
  );
  needles.passkey = phone.id;
  needles.passkeyChallenge = (
    await call(alice, 'POST', '/api/sos/passkeys/options', {}, 200)
  ).json().challenge;

  // Her share with Bob: relay, HTTP fallback, guest link, missed check-in, SOS.
  const share = await startShare(t, alice, [bobDevice], { expectedArrival: inMinutes(t, 20) });
  needles.share = share.id;
  const sharer = await Client.open(url);
  await sharer.join(share.id, { token: alice.token });
  const watcher = await Client.open(url);
  await watcher.join(share.id, { token: bob.token });
  for (let seq = 0; seq < 3; seq++)
    sharer.send({ type: 'pos', share: share.id, seq, c: await seal(share, seq) });
  await sharer.type('ack', { seq: 2 });
  await call(
    alice,
    'POST',
    `/api/shares/${share.id}/positions`,
    { positions: [{ seq: 3, c: await seal(share, 3) }] },
    200,
  );
  const link = (
    await call(alice, 'POST', `/api/shares/${share.id}/guest-links`, { expiresAt: inMinutes(t, 60) }, 201)
  ).json();
  Object.assign(needles, { guestLink: link.id, guestTokenHash: hashToken(link.token) });
  Object.assign(secrets, { guestToken: link.token, resetToken, pendingInviteToken: pending });
  const guest = await Client.open(url);
  await guest.join(share.id, { guest: link.token });
  t.clock.advance(26 * 60_000); // past the arrival and the grace period: Bob is alerted
  await fireDueTimers(t.services);
  await fireDueTimers(t.services);
  const sos = (await call(alice, 'POST', '/api/sos', { shareId: share.id }, 201)).json();
  needles.sos = sos.id;
  await call(alice, 'POST', `/api/sos/${sos.id}/cancel`, { pin: '7391' }, 200);
  needles.secondShare = (await startShare(t, alice, [bobDevice])).id;

  // Bob shares with her: her devices hold wrapped keys of his session.
  const bobShare = await startShare(t, bob, [aliceDevice, aliceTablet]);
  const wrapped = await wrapFor(bobShare.key, [aliceDevice]);
  await call(bob, 'POST', `/api/shares/${bobShare.id}/keys`, { recipients: wrapped });
  needles.wrappedKey = wrapped[0].wrappedKey;
  const bobSos = await call(bob, 'POST', '/api/sos', {}, 201); // alerts Alice (push, e-mail)
  expect(bobSos.statusCode).toBe(201);

  // Partner venue (applied, approved, edited, a training); a city action as staff of Paris 17e;
  // anonymous reports.
  await t.services.db.kysely.insertInto('user_roles').values({ user_id: alice.id, role: 'staff' }).execute();
  await t.services.db.kysely
    .insertInto('staff_territories')
    .values({ user_id: alice.id, territory_code: '75117' })
    .execute();
  const place = (
    await call(
      alice,
      'POST',
      '/api/partner/places',
      {
        name: 'Le Refuge d’Alice',
        kind: 'bar',
        address: '30 rue des Dames, 75017 Paris',
        ...PLACES.batignolles,
        charterAccepted: true,
      },
      201,
    )
  ).json();
  await call(alice, 'POST', `/api/places/${place.id}/review`, { decision: 'approve' });
  await call(
    alice,
    'PATCH',
    `/api/partner/places/${place.id}`,
    {
      openingHours: 'Mo-Sa 18:00-02:00',
      closedUntil: inMinutes(t, 3 * 24 * 60),
      closedReason: 'Travaux',
      phone: '+33142939393',
      accessibility: 'limited',
    },
    200,
  );
  await call(alice, 'POST', `/api/partner/places/${place.id}/trainings`, {
    date: '2026-11-01',
    staffTrained: 2,
  });
  await call(
    alice,
    'POST',
    '/api/territories/75117/actions',
    {
      title: 'Marche exploratoire',
      text: 'Avec les habitantes.',
      date: '2026-11-21',
      area: POLYGON,
    },
    201,
  );
  for (let i = 0; i < 3; i++) await call(alice, 'POST', '/api/reports', reportBody(t), 201);
  await call(alice, 'GET', '/api/me/export', undefined, 200);
  for (const c of [sharer, watcher, guest]) c.ws.terminate();
  await expect
    .poll(
      async () =>
        (await t.services.db.kysely.selectFrom('outbox').where('sent_at', 'is', null).selectAll().execute())
          .length,
    )
    .toBe(0);
  return { alice, bob, carol, needles, secrets };
}
