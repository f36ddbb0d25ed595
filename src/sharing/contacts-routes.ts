/**
 * Trusted contacts and devices. A citizen invites with a one-time link; the contact accepts
 * while signed in. Either side ends the relationship, which closes the contact's sockets on
 * the owner's sessions at once. Devices register their public key so that contacts' session
 * keys can be wrapped for them.
 */
import { Type } from 'typebox';
import { requireUser } from '../accounts/authenticate.ts';
import type { App } from '../server/app.ts';
import { fail } from '../server/errors.ts';
import { canonicalPublicKey, EnvelopeError } from '../shared/envelope.ts';
import {
  acceptInvite,
  createInvite,
  endRelationship,
  getRelationship,
  inviteOwner,
  listRelationships,
} from './contacts-store.ts';
import { followerDevices, listDevices, registerDevice, revokeDevice } from './devices-store.ts';
import { announce } from './events.ts';
import { SHARING_RULES } from './rules.ts';
import { ContactDevice, Contacts, Device, DeviceBody, IdParams, Invite, Problem } from './schemas.ts';

const iso = (t: number) => new Date(t).toISOString();
const tags = ['sharing'];

export default async function contactsRoutes(app: App) {
  const { db, clock, config, bus } = app.services;
  const k = db.kysely;

  app.post(
    '/api/contacts/invites',
    {
      schema: {
        tags,
        summary: 'Make a one-time invitation link for a trusted contact (valid 7 days)',
        response: { 201: Invite },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const now = clock.now();
      const token = await createInvite(k, user.id, now, SHARING_RULES.inviteTtlMs);
      // The token travels in the fragment: browsers never send it to a server or its logs.
      return reply.status(201).send({
        token,
        url: `${config.publicUrl}/contacts/accepter#${token}`,
        expiresAt: iso(now + SHARING_RULES.inviteTtlMs),
      });
    },
  );

  const InviteToken = Type.Object(
    { token: Type.String({ minLength: 10, maxLength: 200 }) },
    { additionalProperties: false },
  );

  app.post(
    '/api/contacts/invites/preview',
    {
      config: { rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        tags,
        summary:
          'Who made an invitation, before accepting it (the link stays usable). Only for a link that can still be used',
        body: InviteToken,
        response: { 200: Type.Object({ email: Type.String() }), 400: Problem },
      },
    },
    async (request) => {
      const user = requireUser(request);
      // The link's holder was given it by its maker: a valid token may tell whose it is. A used,
      // expired or unknown one tells nothing (the same 400 for each).
      const ownerId = await inviteOwner(k, request.body.token, clock.now());
      if (!ownerId) return fail('TOKEN_INVALID');
      if (ownerId === user.id) return fail('SELF_CONTACT');
      const owner = await k
        .selectFrom('users')
        .select('email')
        .where('id', '=', ownerId)
        .executeTakeFirstOrThrow();
      return { email: owner.email };
    },
  );

  app.post(
    '/api/contacts/invites/accept',
    {
      config: { rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: 'Accept an invitation: I become a trusted contact of the person who made it',
        body: InviteToken,
        response: { 200: Type.Object({ id: Type.String(), email: Type.String() }), 400: Problem },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const result = await acceptInvite(k, request.body.token, user.id, clock.now());
      if (!result.ok) return fail(result.reason === 'self' ? 'SELF_CONTACT' : 'TOKEN_INVALID');
      const owner = await k
        .selectFrom('users')
        .select('email')
        .where('id', '=', result.ownerId)
        .executeTakeFirstOrThrow();
      return { id: result.contactId, email: owner.email };
    },
  );

  app.get(
    '/api/contacts',
    {
      schema: { tags, summary: 'People I follow and people who may follow me', response: { 200: Contacts } },
    },
    async (request) => {
      const user = requireUser(request);
      const { following, followers } = await listRelationships(k, user.id);
      const person = (r: { id: string; email: string; created_at: number }) => ({
        id: r.id,
        email: r.email,
        since: iso(r.created_at),
      });
      return { following: following.map(person), followers: followers.map(person) };
    },
  );

  app.delete(
    '/api/contacts/:id',
    {
      schema: {
        tags,
        summary: 'End a relationship (either side); the contact loses access at once',
        params: IdParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const relationship = await getRelationship(k, request.params.id);
      const mine = relationship && (relationship.owner_id === user.id || relationship.contact_id === user.id);
      if (!relationship || !mine || relationship.ended_at !== null) return fail('NOT_FOUND');
      const ended = await k.transaction().execute((tx) => endRelationship(tx, relationship.id, clock.now()));
      if (ended)
        await announce(bus, { t: 'revoke-contact', owner: ended.owner_id, contact: ended.contact_id });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/contacts/devices',
    {
      schema: {
        tags,
        summary: 'Public keys of every device of the people who may follow me (to wrap a session key)',
        response: { 200: Type.Object({ devices: Type.Array(ContactDevice) }) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const rows = await followerDevices(k, user.id);
      return {
        devices: rows.map((d) => ({ id: d.id, publicKey: d.public_key, contactId: d.relationshipId })),
      };
    },
  );

  app.get(
    '/api/contacts/:id/devices',
    {
      schema: {
        tags,
        summary: 'Public keys of the devices of one contact who may follow me',
        params: IdParams,
        response: { 200: Type.Object({ devices: Type.Array(ContactDevice) }) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const relationship = await getRelationship(k, request.params.id);
      // Only the person who shares wraps keys: the other side gets the same 404 as a stranger.
      if (!relationship || relationship.owner_id !== user.id || relationship.ended_at !== null)
        return fail('NOT_FOUND');
      const rows = await followerDevices(k, user.id, relationship.id);
      return {
        devices: rows.map((d) => ({ id: d.id, publicKey: d.public_key, contactId: d.relationshipId })),
      };
    },
  );

  const presentDevice = (d: {
    id: string;
    public_key: string;
    label: string;
    created_at: number;
    last_seen_at: number;
  }) => ({
    id: d.id,
    publicKey: d.public_key,
    label: d.label,
    createdAt: iso(d.created_at),
    lastSeenAt: iso(d.last_seen_at),
  });

  app.post(
    '/api/devices',
    {
      schema: {
        tags,
        summary: "Register this browser's ECDH P-256 public key",
        body: DeviceBody,
        response: { 201: Device, 400: Problem },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      let publicKey: string;
      try {
        publicKey = await canonicalPublicKey(request.body.publicKey);
      } catch (error) {
        if (error instanceof EnvelopeError) return fail('INVALID_PUBLIC_KEY');
        throw error;
      }
      const now = clock.now();
      const id = await registerDevice(k, user.id, publicKey, request.body.label.trim(), now);
      const device = (await listDevices(k, user.id)).find((d) => d.id === id)!;
      return reply.status(201).send(presentDevice(device));
    },
  );

  app.get(
    '/api/devices',
    {
      schema: {
        tags,
        summary: 'My registered devices',
        response: { 200: Type.Object({ devices: Type.Array(Device) }) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return { devices: (await listDevices(k, user.id)).map(presentDevice) };
    },
  );

  app.delete(
    '/api/devices/:id',
    {
      schema: {
        tags,
        summary: 'Revoke a device: it gets no new session keys and loses those it had',
        params: IdParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      if (!(await revokeDevice(k, user.id, request.params.id, clock.now()))) return fail('NOT_FOUND');
      return reply.status(204).send(null);
    },
  );
}
