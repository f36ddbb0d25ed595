/**
 * Territories API: public list and boundaries (public data), admin import and staff
 * grants. Who may see a territory's reports is decided by `canViewTerritory`.
 */

import { Type } from 'typebox';
import { requireUser } from '../accounts/authenticate.ts';
import { canManageTerritories } from '../accounts/policies.ts';
import { Email } from '../accounts/schemas.ts';
import { sessionsChanged } from '../accounts/session-cache.ts';
import { findUserByEmail, grantStaff, listStaff, revokeStaff } from '../accounts/store.ts';
import type { App } from '../server/app.ts';
import { fail } from '../server/errors.ts';
import { describeProblem, importTerritories, parseTerritories, removeTerritory } from './import.ts';
import { getTerritory, listTerritorySummaries } from './store.ts';

const Code = Type.String({ pattern: '^(\\d{5}|2[ABab]\\d{3})$', description: 'INSEE code' });
const Summary = Type.Object({
  code: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('commune'), Type.Literal('arrondissement')]),
});
const Geometry = Type.Object(
  {
    type: Type.Union([Type.Literal('Polygon'), Type.Literal('MultiPolygon')]),
    coordinates: Type.Array(Type.Any()),
  },
  { additionalProperties: false },
);
const StaffGrant = Type.Object({ email: Email, territory: Code }, { additionalProperties: false });

export default async function territoriesRoutes(app: App) {
  const { db } = app.services;
  const k = db.kysely;

  app.get(
    '/api/territories',
    {
      schema: {
        tags: ['territories'],
        summary: 'Territories served by this Havre',
        response: { 200: Type.Object({ territories: Type.Array(Summary) }) },
      },
    },
    async () => ({ territories: await listTerritorySummaries(k) }),
  );

  app.get(
    '/api/territories/:code',
    {
      schema: {
        tags: ['territories'],
        summary: 'A territory as a GeoJSON Feature with its boundary',
        params: Type.Object({ code: Code }),
        response: {
          200: Type.Object({
            type: Type.Literal('Feature'),
            properties: Summary,
            bbox: Type.Array(Type.Number()),
            geometry: Geometry,
          }),
        },
      },
    },
    async (request) => {
      const territory = await getTerritory(k, request.params.code.toUpperCase());
      if (!territory) return fail('NOT_FOUND', `No territory ${request.params.code}`);
      return {
        type: 'Feature' as const,
        properties: { code: territory.code, name: territory.name, kind: territory.kind },
        bbox: territory.bbox,
        geometry: territory.boundary,
      };
    },
  );

  app.post(
    '/api/admin/territories',
    {
      bodyLimit: 10 * 1024 * 1024,
      schema: {
        tags: ['admin'],
        summary: 'Create or replace territories from a GeoJSON Feature or FeatureCollection (admin)',
        body: Type.Object(
          { type: Type.Union([Type.Literal('FeatureCollection'), Type.Literal('Feature')]) },
          { additionalProperties: true },
        ),
        response: {
          201: Type.Object({
            created: Type.Integer(),
            updated: Type.Integer(),
            codes: Type.Array(Type.String()),
            /** Places (venues awaiting review included) whose territory the import changed. */
            placesMoved: Type.Integer(),
          }),
        },
      },
    },
    async (request, reply) => {
      if (!canManageTerritories(requireUser(request))) return fail('FORBIDDEN');
      const { territories, problems } = parseTerritories(request.body);
      if (problems.length > 0) {
        return fail('INVALID_GEOJSON', problems.map(describeProblem).join('; '));
      }
      reply.status(201);
      return importTerritories(app.services, territories);
    },
  );

  app.delete(
    '/api/admin/territories/:code',
    {
      schema: {
        tags: ['admin'],
        summary: 'Delete a territory (admin)',
        params: Type.Object({ code: Code }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      if (!canManageTerritories(requireUser(request))) return fail('FORBIDDEN');
      if (!(await removeTerritory(app.services, request.params.code.toUpperCase()))) return fail('NOT_FOUND');
      // Its staff lost their access: signed-in users are resolved again.
      await sessionsChanged(app.services, { all: true });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/admin/staff',
    {
      schema: {
        tags: ['admin'],
        summary: 'Accounts with staff access to a territory (admin)',
        querystring: Type.Object({ territory: Code }, { additionalProperties: false }),
        response: { 200: Type.Object({ staff: Type.Array(Type.Object({ email: Type.String() })) }) },
      },
    },
    async (request) => {
      if (!canManageTerritories(requireUser(request))) return fail('FORBIDDEN');
      const { territory } = request.query;
      if (!(await getTerritory(k, territory))) return fail('NOT_FOUND', `No territory ${territory}`);
      return { staff: (await listStaff(k, territory)).map((email) => ({ email })) };
    },
  );

  for (const method of ['POST', 'DELETE'] as const) {
    app.route({
      method,
      url: '/api/admin/staff',
      schema: {
        tags: ['admin'],
        summary:
          method === 'POST'
            ? 'Grant a user staff access to a territory (admin)'
            : 'Revoke staff access (admin)',
        body: StaffGrant,
        response: { 204: Type.Null() },
      },
      handler: async (request, reply) => {
        if (!canManageTerritories(requireUser(request))) return fail('FORBIDDEN');
        const { email, territory } = request.body;
        const user = await findUserByEmail(k, email);
        if (!user) return fail('NOT_FOUND', 'No account with this e-mail address');
        if (!(await getTerritory(k, territory))) return fail('NOT_FOUND', `No territory ${territory}`);
        if (method === 'POST') await grantStaff(k, user.id, territory);
        else await revokeStaff(k, user.id, territory);
        await sessionsChanged(app.services, { userId: user.id });
        return reply.status(204).send(null);
      },
    });
  }
}
