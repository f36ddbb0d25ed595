/**
 * Share sessions: start, follow, keys for new devices, HTTP fallback for positions,
 * "I have arrived", "I'm OK", a new check-in time, guest links.
 */
import { Type } from 'typebox';
import { requireUser } from '../accounts/authenticate.ts';
import type { App } from '../server/app.ts';
import { fail } from '../server/errors.ts';
import { loadForRequest, loadOwned, positionAccess, requireActive } from './access.ts';
import { announce } from './events.ts';
import { checkedRecipients, endShare, startShare } from './lifecycle.ts';
import { presentShare } from './present.ts';
import { SHARING_RULES } from './rules.ts';
import {
  DueBody,
  GuestLink,
  GuestLinkBody,
  IdParams,
  OkBody,
  PositionsBody,
  PositionsOut,
  Problem,
  Recipients,
  ShareCreate,
  ShareView,
  Uuid,
} from './schemas.ts';
import {
  activeSessionsOf,
  createGuestLink,
  followableSessions,
  putRecipients,
  revokeGuestLink,
} from './sessions-store.ts';
import { answerOk } from './timers.ts';
import type { TrailPoint } from './trail-store.ts';

const tags = ['sharing'];
const ms = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

export interface PositionStore {
  /** Stores positions (durably) and relays them; returns the seqs acknowledged. */
  accept(share: string, points: { seq: number; c: string }[]): Promise<number[]>;
  /** The durable points after `seq`, in order, at most `limit`. */
  since(share: string, seq: number, limit: number): Promise<TrailPoint[]>;
}

export default function sharesRoutes(app: App, positions: PositionStore) {
  const { db, clock, config, bus } = app.services;
  const k = db.kysely;

  app.post(
    '/api/shares',
    {
      schema: {
        tags,
        summary: 'Start sharing (trip, night out, journey) with chosen contacts, live or check-in only',
        body: ShareCreate,
        response: { 201: ShareView, 400: Problem, 409: Problem, 422: Problem },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const body = request.body;
      const session = await startShare(app.services, user.id, {
        ...body,
        expectedArrival: ms(body.expectedArrival),
        until: ms(body.until),
      });
      return reply.status(201).send(await presentShare(k, session, { kind: 'owner' }));
    },
  );

  app.get(
    '/api/shares',
    {
      schema: {
        tags,
        summary: 'My sessions that have not ended, and those I may follow',
        response: { 200: Type.Object({ mine: Type.Array(ShareView), following: Type.Array(ShareView) }) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const mine = await activeSessionsOf(k, user.id);
      const following = await followableSessions(k, user.id);
      return {
        mine: await Promise.all(mine.map((s) => presentShare(k, s, { kind: 'owner' }))),
        following: await Promise.all(
          following
            .filter((s) => s.ends_at > clock.now())
            .map(({ owner_email: _, ...s }) => presentShare(k, s, { kind: 'contact', userId: user.id })),
        ),
      };
    },
  );

  app.get(
    '/api/shares/:id',
    {
      schema: {
        tags,
        summary: 'A session as its owner, a chosen contact or a guest (x-havre-guest header) may see it',
        params: IdParams,
        response: { 200: ShareView, 404: Problem, 410: Problem },
      },
    },
    async (request) => {
      const { session, audience } = await loadForRequest(k, request, request.params.id, clock.now());
      return presentShare(k, session, audience);
    },
  );

  app.post(
    '/api/shares/:id/keys',
    {
      schema: {
        tags,
        summary: "Add the session key wrapped for contacts' devices (a new device, a contact added later)",
        params: IdParams,
        body: Type.Object({ recipients: Recipients }, { additionalProperties: false }),
        response: { 204: Type.Null(), 422: Problem },
      },
    },
    async (request, reply) => {
      const session = await loadOwned(k, requireUser(request), request.params.id);
      requireActive(session);
      await k.transaction().execute(async (tx) => {
        const users = await checkedRecipients(tx, session.owner_id, request.body.recipients);
        await putRecipients(tx, session.id, request.body.recipients, users, clock.now());
      });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/shares/:id/positions',
    {
      bodyLimit: 1024 * 1024,
      schema: {
        tags,
        summary: 'HTTP fallback: store and relay a batch of encrypted positions (idempotent by seq)',
        params: IdParams,
        body: PositionsBody,
        response: { 200: Type.Object({ acked: Type.Array(Type.Integer()) }), 410: Problem },
      },
    },
    async (request) => {
      const session = await loadOwned(k, requireUser(request), request.params.id);
      requireActive(session);
      return { acked: await positions.accept(session.id, request.body.positions) };
    },
  );

  app.get(
    '/api/shares/:id/positions',
    {
      schema: {
        tags,
        summary: 'Encrypted positions after a sequence number (owner, or a viewer with access now)',
        params: IdParams,
        querystring: Type.Object({
          since: Type.Optional(Type.Integer({ minimum: -1, default: -1 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 1000 })),
        }),
        response: { 200: PositionsOut, 404: Problem, 410: Problem },
      },
    },
    async (request) => {
      const { session, audience } = await loadForRequest(k, request, request.params.id, clock.now());
      const access = positionAccess(audience, session);
      if (access === 'waiting') return { access, positions: [] };
      const points = await positions.since(
        session.id,
        request.query.since ?? -1,
        request.query.limit ?? 1000,
      );
      return { access, positions: points.map((p) => ({ seq: p.seq, c: p.c })) };
    },
  );

  app.post(
    '/api/shares/:id/arrived',
    {
      schema: {
        tags,
        summary: 'I have arrived: ends the session and tells the contacts',
        params: IdParams,
        response: { 200: ShareView, 410: Problem },
      },
    },
    async (request) => {
      const session = await loadOwned(k, requireUser(request), request.params.id);
      requireActive(session);
      if (session.alert_reason === 'sos')
        fail('CONFLICT', 'an SOS is cancelled with POST /api/sos/:id/cancel');
      await endShare(app.services, session.id, 'arrived', 'arrived');
      return presentShare(k, (await loadOwned(k, requireUser(request), session.id))!, { kind: 'owner' });
    },
  );

  const okRoute = (path: string, summary: string, body: typeof OkBody | typeof DueBody) =>
    app.post(
      path,
      {
        schema: {
          tags,
          summary,
          params: IdParams,
          body,
          response: { 200: ShareView, 409: Problem, 410: Problem },
        },
      },
      async (request) => {
        const session = await loadOwned(k, requireUser(request), (request.params as { id: string }).id);
        const due = ms((request.body as { due?: string }).due) ?? null;
        const updated = await answerOk(app.services, session, due);
        return presentShare(k, updated, { kind: 'owner' });
      },
    );
  okRoute(
    '/api/shares/:id/ok',
    "I'm OK: answers the check-in question (or ends an alert, contacts told)",
    OkBody,
  );
  okRoute('/api/shares/:id/checkin', 'Choose a new time to check in (extends the session)', DueBody);

  app.post(
    '/api/shares/:id/guest-links',
    {
      schema: {
        tags,
        summary: 'Make a guest link for someone without an account (the browser appends the key)',
        params: IdParams,
        body: GuestLinkBody,
        response: { 201: GuestLink, 400: Problem, 410: Problem },
      },
    },
    async (request, reply) => {
      const session = await loadOwned(k, requireUser(request), request.params.id);
      requireActive(session);
      const now = clock.now();
      const expiresAt = Date.parse(request.body.expiresAt);
      if (expiresAt <= now || expiresAt - now > SHARING_RULES.maxGuestLinkMs) {
        return fail('VALIDATION', 'expiresAt must be in the future and within 7 days');
      }
      const link = await createGuestLink(k, session.id, now, Math.min(expiresAt, session.ends_at));
      return reply.status(201).send({
        id: link.id,
        token: link.token,
        // Token in the fragment too: neither part of the link ever reaches a server log.
        url: `${config.publicUrl}/suivre/${session.id}#g=${link.token}`,
        expiresAt: new Date(Math.min(expiresAt, session.ends_at)).toISOString(),
      });
    },
  );

  app.delete(
    '/api/shares/:id/guest-links/:linkId',
    {
      schema: {
        tags,
        summary: 'Revoke a guest link; its open sockets close at once',
        params: Type.Object({ id: Uuid, linkId: Uuid }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const session = await loadOwned(k, requireUser(request), request.params.id);
      if (!(await revokeGuestLink(k, session.id, request.params.linkId, clock.now())))
        return fail('NOT_FOUND');
      await announce(bus, { t: 'revoke-guest', link: request.params.linkId });
      return reply.status(204).send(null);
    },
  );
}
