/**
 * Passkeys that confirm an SOS cancel (passkeys.ts): options and registration (with the
 * password), the list and removal, and the challenge the cancel form signs.
 */
import { Type } from 'typebox';
import { requireUser } from '../accounts/authenticate.ts';
import { isAccountPassword } from '../accounts/store.ts';
import type { App } from '../server/app.ts';
import { fail } from '../server/errors.ts';
import {
  cancelOptions,
  listPasskeys,
  registerPasskey,
  registrationOptions,
  removePasskey,
} from './passkeys.ts';
import {
  IdParams,
  Passkey,
  PasskeyParams,
  PasskeyRegistrationBody,
  Problem,
  WebAuthnOptions,
} from './schemas.ts';

const tags = ['sharing'];
const LIMIT = { rateLimit: { max: 20, timeWindow: 60_000 } };

export default async function passkeyRoutes(app: App) {
  const k = app.services.db.kysely;

  app.get(
    '/api/sos/passkeys',
    {
      schema: {
        tags,
        summary: 'My passkeys that confirm cancelling an SOS',
        response: { 200: Type.Object({ passkeys: Type.Array(Passkey) }) },
      },
    },
    async (request) => ({ passkeys: await listPasskeys(k, requireUser(request).id) }),
  );

  app.post(
    '/api/sos/passkeys/options',
    {
      config: LIMIT,
      schema: {
        tags,
        summary:
          'WebAuthn options to create a passkey (user verification required); the challenge lasts 5 minutes',
        response: { 200: WebAuthnOptions, 409: Problem },
      },
    },
    async (request) => registrationOptions(app.services, requireUser(request)),
  );

  app.post(
    '/api/sos/passkeys',
    {
      config: LIMIT,
      schema: {
        tags,
        summary: 'Register a passkey that confirms cancelling an SOS; needs the password',
        body: PasskeyRegistrationBody,
        response: { 201: Passkey, 400: Problem, 401: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      if (!(await isAccountPassword(k, user.id, request.body.password))) return fail('INVALID_CREDENTIALS');
      const passkey = await registerPasskey(
        app.services,
        user.id,
        request.body.credential as never,
        request.body.label.trim() || 'Passkey',
      );
      return reply.status(201).send(passkey);
    },
  );

  app.delete(
    '/api/sos/passkeys/:id',
    {
      schema: {
        tags,
        summary: 'Remove one of my passkeys',
        params: PasskeyParams,
        response: { 204: Type.Null(), 404: Problem },
      },
    },
    async (request, reply) => {
      await removePasskey(k, requireUser(request).id, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/sos/:id/cancel/options',
    {
      config: LIMIT,
      schema: {
        tags,
        summary: 'WebAuthn options to confirm cancelling this SOS with one of my passkeys',
        params: IdParams,
        response: { 200: WebAuthnOptions, 404: Problem, 409: Problem },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const sos = await k
        .selectFrom('sos_events')
        .select(['user_id', 'cancelled_at'])
        .where('id', '=', request.params.id)
        .executeTakeFirst();
      if (!sos || sos.user_id !== user.id) return fail('NOT_FOUND', 'no such SOS');
      if (sos.cancelled_at !== null) return fail('CONFLICT', 'this SOS was already cancelled');
      return cancelOptions(app.services, user.id);
    },
  );
}
