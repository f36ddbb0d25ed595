/** SOS: start, cancel with a confirmation, and the optional PIN that confirms a cancel. */
import { Type } from 'typebox';
import { requireUser } from '../accounts/authenticate.ts';
import { hashPassword } from '../accounts/passwords.ts';
import { isAccountPassword } from '../accounts/store.ts';
import type { App } from '../server/app.ts';
import { fail } from '../server/errors.ts';
import { followerDevices } from './devices-store.ts';
import { presentShare } from './present.ts';
import { IdParams, Problem, SosBody, SosCancelBody, SosPinBody, SosResult } from './schemas.ts';
import { getSession } from './sessions-store.ts';
import { cancelSos, setSosPin, triggerSos } from './sos.ts';

const tags = ['sharing'];

export default async function sosRoutes(app: App) {
  const { db } = app.services;
  const k = db.kysely;

  app.post(
    '/api/sos',
    {
      schema: {
        tags,
        summary:
          'SOS: live sharing for every trusted contact, alerted by push, e-mail and SMS (a link, never a position)',
        body: SosBody,
        description:
          'One SOS per person: while one runs (not cancelled, its session not ended), the answer is that SOS, with `alreadyRunning` and status 200, and nobody is alerted again.',
        response: { 200: SosResult, 201: SosResult, 404: Problem, 410: Problem, 422: Problem },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const { sosId, shareId, alreadyRunning } = await triggerSos(app.services, user.id, request.body);
      const session = (await getSession(k, shareId))!;
      const keyed = new Set(
        (
          await k.selectFrom('share_recipients').select('device_id').where('share_id', '=', shareId).execute()
        ).map((r) => r.device_id),
      );
      const devices = await followerDevices(k, user.id);
      return reply.status(alreadyRunning ? 200 : 201).send({
        id: sosId,
        alreadyRunning,
        share: await presentShare(k, session, { kind: 'owner' }),
        devicesWithoutKey: devices
          .filter((d) => !keyed.has(d.id))
          .map((d) => ({ id: d.id, publicKey: d.public_key, contactId: d.relationshipId })),
      });
    },
  );

  app.post(
    '/api/sos/:id/cancel',
    {
      config: { rateLimit: { max: 20, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: 'Cancel an SOS with the SOS PIN, the account password or a passkey; contacts are told',
        params: IdParams,
        body: SosCancelBody,
        response: {
          200: Type.Object({ shareId: Type.String(), ended: Type.Boolean() }),
          401: Problem,
          404: Problem,
          409: Problem,
          429: Problem,
        },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return cancelSos(app.services, user.id, request.params.id, request.body);
    },
  );

  app.put(
    '/api/sos/pin',
    {
      config: { rateLimit: { max: 10, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: 'Set the PIN (4 to 8 digits) that confirms cancelling an SOS; needs the password',
        body: SosPinBody,
        response: { 204: Type.Null(), 401: Problem },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      if (!(await isAccountPassword(k, user.id, request.body.password))) return fail('INVALID_CREDENTIALS');
      await setSosPin(app.services, user.id, await hashPassword(request.body.pin));
      return reply.status(204).send(null);
    },
  );
}
