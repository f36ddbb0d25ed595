/**
 * Notification settings of the signed-in user: Web Push subscriptions of their browsers
 * and the phone number that receives alert SMS.
 */
import { randomUUID } from 'node:crypto';
import { Type } from 'typebox';
import { requireUser } from '../accounts/authenticate.ts';
import type { App } from '../server/app.ts';
import { fail } from '../server/errors.ts';
import './personal-data.ts';
import { endpointProblem } from './endpoint-guard.ts';
import { allowsLoopbackPush } from './push.ts';
import { normalisePhone } from './sms.ts';

const Base64url = (maxLength: number) =>
  Type.String({ pattern: '^[A-Za-z0-9_-]+=*$', minLength: 8, maxLength });
const Subscription = Type.Object(
  {
    endpoint: Type.String({ format: 'uri', maxLength: 1024 }),
    keys: Type.Object({ p256dh: Base64url(200), auth: Base64url(64) }, { additionalProperties: false }),
    // Sent by PushSubscription.toJSON(); not needed here.
    expirationTime: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export default async function notifyRoutes(app: App) {
  const { db, clock, config, push } = app.services;
  const k = db.kysely;

  app.get(
    '/api/push/key',
    {
      schema: {
        tags: ['notify'],
        summary: 'The VAPID public key a browser subscribes with (applicationServerKey)',
        response: { 200: Type.Object({ publicKey: Type.String() }) },
      },
    },
    async () => ({ publicKey: await push.publicKey() }),
  );

  app.post(
    '/api/push/subscriptions',
    {
      schema: {
        tags: ['notify'],
        summary: 'Register this browser for Web Push (alerts of trusted contacts, check-in questions)',
        body: Subscription,
        response: { 201: Type.Object({ id: Type.String() }) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const { endpoint, keys } = request.body;
      // Push endpoints are URLs this server will POST to: public https addresses only (SSRF).
      const problem = await endpointProblem(endpoint, allowsLoopbackPush(config));
      if (problem) return fail('PUSH_ENDPOINT_REFUSED', `endpoint refused: ${problem}`);
      // One row per endpoint: a browser that subscribes again (or for another account) replaces it.
      const id = await k.transaction().execute(async (tx) => {
        await tx.deleteFrom('push_subscriptions').where('endpoint', '=', endpoint).execute();
        const newId = randomUUID();
        await tx
          .insertInto('push_subscriptions')
          .values({
            id: newId,
            user_id: user.id,
            endpoint,
            p256dh: keys.p256dh,
            auth: keys.auth,
            created_at: clock.now(),
          })
          .execute();
        return newId;
      });
      return reply.status(201).send({ id });
    },
  );

  app.delete(
    '/api/push/subscriptions/:id',
    {
      schema: {
        tags: ['notify'],
        summary: 'Unregister a browser',
        params: IdParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const result = await k
        .deleteFrom('push_subscriptions')
        .where('id', '=', request.params.id)
        .where('user_id', '=', user.id)
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) return fail('NOT_FOUND');
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me/phone',
    {
      schema: {
        tags: ['notify'],
        summary: 'The number that receives alert SMS',
        response: { 200: Type.Object({ phone: Type.Union([Type.String(), Type.Null()]) }) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const row = await k
        .selectFrom('phone_numbers')
        .select('phone')
        .where('user_id', '=', user.id)
        .executeTakeFirst();
      return { phone: row?.phone ?? null };
    },
  );

  app.put(
    '/api/me/phone',
    {
      schema: {
        tags: ['notify'],
        summary: 'Set the number that receives alert SMS (E.164, or a French 0X XX XX XX XX number)',
        body: Type.Object(
          { phone: Type.String({ minLength: 8, maxLength: 24 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ phone: Type.String() }) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const phone = normalisePhone(request.body.phone);
      if (!phone) return fail('VALIDATION', 'phone must be an international number such as +33612345678');
      await k
        .insertInto('phone_numbers')
        .values({ user_id: user.id, phone, updated_at: clock.now() })
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ phone, updated_at: clock.now() }))
        .execute();
      return { phone };
    },
  );

  app.delete(
    '/api/me/phone',
    {
      schema: { tags: ['notify'], summary: 'Stop alert SMS', response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await k.deleteFrom('phone_numbers').where('user_id', '=', user.id).execute();
      return reply.status(204).send(null);
    },
  );
}
