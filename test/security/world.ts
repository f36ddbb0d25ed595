/**
 * A small world of people and resources for authorization tests: one citizen who owns a live
 * share, devices, contacts, a push subscription and an SOS; a trusted contact; a contact whose
 * access was revoked; a stranger; guest links (one revoked); a venue partner; staff of Paris 17e
 * and of Rouen; an admin; an ended and an expired session. Users are inserted directly (one
 * password hash for all) so that a fresh world per test stays cheap.
 */
import { hashPassword } from '../../src/accounts/passwords.ts';
import { createSession, createUser, deleteSession, grantRole, grantStaff } from '../../src/accounts/store.ts';
import type { Role } from '../../src/accounts/tables.ts';
import { GUEST_HEADER } from '../../src/sharing/access.ts';
import { TEST_PASSWORD, type TestApp } from '../helpers/app.ts';
import { SoftAuthenticator } from '../helpers/passkey.ts';
import { PLACES, postReport, reportBody } from '../helpers/reports.ts';
import {
  addDevice,
  befriend,
  inMinutes,
  type StartedShare,
  startShare,
  type User,
} from '../helpers/sharing.ts';

export const PRINCIPALS = [
  'anonymous',
  'endedSession',
  'expiredSession',
  'guest',
  'revokedGuest',
  'owner',
  'stranger',
  'contact',
  'revokedContact',
  'partner',
  'staffParis',
  'staffRouen',
  'admin',
] as const;
export type Principal = (typeof PRINCIPALS)[number];

/** Principals without a signed-in user. */
export const NO_USER: Principal[] = ['anonymous', 'endedSession', 'expiredSession', 'guest', 'revokedGuest'];
export const SIGNED_IN = PRINCIPALS.filter((p) => !NO_USER.includes(p));

export interface World {
  headers: Record<Principal, Record<string, string>>;
  users: Partial<Record<Principal, User>>;
  share: StartedShare;
  guestLinkId: string;
  relationshipId: string;
  ownerDeviceId: string;
  pushSubscriptionId: string;
  placeId: string;
  heldReportId: string;
  actionId: string;
  sosId: string;
  /** The owner's passkey that confirms an SOS cancel, and the authenticator holding it. */
  passkey: SoftAuthenticator;
}

const DAY = 86_400_000;
let passwordHash: string | null = null;

async function user(t: TestApp, roles: Role[] = [], territories: string[] = []): Promise<User> {
  passwordHash ??= await hashPassword(TEST_PASSWORD);
  const email = `w-${Math.random().toString(36).slice(2)}@test.example`;
  const k = t.services.db.kysely;
  const id = await createUser(k, { email, passwordHash, now: t.clock.now() });
  for (const role of roles) await grantRole(k, id, role);
  for (const code of territories) await grantStaff(k, id, code);
  const token = await createSession(k, id, t.clock.now(), 30 * DAY);
  return { id, email, token, auth: { authorization: `Bearer ${token}` } };
}

async function ok(res: { statusCode: number; body: string }, what: string, status: number) {
  if (res.statusCode !== status) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
  return JSON.parse(res.body || 'null');
}

export async function buildWorld(t: TestApp): Promise<World> {
  const k = t.services.db.kysely;
  const owner = await user(t);
  const stranger = await user(t);
  const contact = await user(t);
  const revokedContact = await user(t);
  const partner = await user(t);
  const staffParis = await user(t, ['staff'], ['75117']);
  const staffRouen = await user(t, ['staff'], ['76540']);
  const admin = await user(t, ['admin']);

  const relationshipId = await befriend(t, owner, contact);
  const revokedRelationship = await befriend(t, owner, revokedContact);
  const ownerDevice = await addDevice(t, owner);
  const contactDevice = await addDevice(t, contact);
  const revokedDevice = await addDevice(t, revokedContact);
  await addDevice(t, stranger);
  const share = await startShare(t, owner, [contactDevice, revokedDevice]);
  await ok(
    await t.app.inject({
      method: 'DELETE',
      url: `/api/contacts/${revokedRelationship}`,
      headers: owner.auth,
    }),
    'revoke contact',
    204,
  );
  const link = async () =>
    ok(
      await t.app.inject({
        method: 'POST',
        url: `/api/shares/${share.id}/guest-links`,
        headers: owner.auth,
        payload: { expiresAt: inMinutes(t, 120) },
      }),
      'guest link',
      201,
    );
  const guest = await link();
  const revoked = await link();
  await ok(
    await t.app.inject({
      method: 'DELETE',
      url: `/api/shares/${share.id}/guest-links/${revoked.id}`,
      headers: owner.auth,
    }),
    'revoke guest link',
    204,
  );

  // An ended session (signed out) and an expired one, both the owner's.
  const ended = await createSession(k, owner.id, t.clock.now(), 30 * DAY);
  await deleteSession(k, ended);
  const expired = await createSession(k, owner.id, t.clock.now() - 2 * DAY, DAY);

  const push = await ok(
    await t.app.inject({
      method: 'POST',
      url: '/api/push/subscriptions',
      headers: owner.auth,
      payload: {
        endpoint: `https://push.example.net/${Math.random().toString(36).slice(2)}`,
        keys: {
          p256dh: Buffer.alloc(65, 4).toString('base64url'),
          auth: Buffer.alloc(16, 1).toString('base64url'),
        },
      },
    }),
    'push subscription',
    201,
  );
  const place = await ok(
    await t.app.inject({
      method: 'POST',
      url: '/api/partner/places',
      headers: partner.auth,
      payload: {
        name: 'Le Refuge',
        kind: 'bar',
        address: '12 rue des Batignolles, 75017 Paris',
        lat: 48.8848,
        lon: 2.3204,
        openingHours: 'Mo-Su 00:00-24:00',
        charterAccepted: true,
      },
    }),
    'partner application',
    201,
  );
  await ok(
    await t.app.inject({
      method: 'POST',
      url: `/api/places/${place.id}/review`,
      headers: staffParis.auth,
      payload: { decision: 'approve' },
    }),
    'approve',
    200,
  );
  const report = await ok(await postReport(t, stranger.auth, reportBody(t)), 'report', 201);
  await k.updateTable('reports').set({ status: 'held' }).where('id', '=', report.id).execute();
  const action = await ok(
    await t.app.inject({
      method: 'POST',
      url: '/api/territories/75117/actions',
      headers: staffParis.auth,
      payload: {
        title: 'Éclairage',
        text: 'Nouveaux lampadaires.',
        date: '2026-11-20',
        area: {
          type: 'Polygon',
          coordinates: [
            [
              [2.3195, 48.8835],
              [2.3205, 48.8835],
              [2.3205, 48.8845],
              [2.3195, 48.8835],
            ],
          ],
        },
      },
    }),
    'action',
    201,
  );
  const sos = await ok(
    await t.app.inject({ method: 'POST', url: '/api/sos', headers: owner.auth, payload: {} }),
    'sos',
    201,
  );

  const passkey = new SoftAuthenticator(t.services.config.publicUrl);
  const passkeyOptions = await ok(
    await t.app.inject({
      method: 'POST',
      url: '/api/sos/passkeys/options',
      headers: owner.auth,
      payload: {},
    }),
    'passkey options',
    200,
  );
  await ok(
    await t.app.inject({
      method: 'POST',
      url: '/api/sos/passkeys',
      headers: owner.auth,
      payload: { credential: passkey.register(passkeyOptions), label: 'phone', password: TEST_PASSWORD },
    }),
    'passkey',
    201,
  );

  const users = { owner, stranger, contact, revokedContact, partner, staffParis, staffRouen, admin };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  return {
    headers: {
      anonymous: {},
      endedSession: bearer(ended),
      expiredSession: bearer(expired),
      guest: { [GUEST_HEADER]: guest.token },
      revokedGuest: { [GUEST_HEADER]: revoked.token },
      ...Object.fromEntries(Object.entries(users).map(([name, u]) => [name, u.auth])),
    } as unknown as Record<Principal, Record<string, string>>,
    users,
    share,
    guestLinkId: guest.id,
    relationshipId,
    ownerDeviceId: ownerDevice.id,
    pushSubscriptionId: push.id,
    placeId: place.id,
    heldReportId: report.id,
    actionId: action.id,
    sosId: sos.id,
    passkey,
  };
}

export { PLACES };
