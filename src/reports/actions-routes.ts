/**
 * City actions: staff of a territory publish, edit and delete them; anyone reads them on
 * the citizen map (public data: no author).
 */
import { Type } from 'typebox';
import { requireUser } from '../accounts/authenticate.ts';
import type { App } from '../server/app.ts';
import { fail } from '../server/errors.ts';
import { getTerritory } from '../territories/registry.ts';
import {
  actionsInBbox,
  createAction,
  deleteAction,
  getAction,
  listTerritoryActions,
  presentAction,
  updateAction,
} from './actions.ts';
import { canPublishActions, requireTerritoryViewer } from './policies.ts';
import {
  ActionBody,
  ActionCollection,
  ActionFeature,
  ActionPatch,
  BboxQuery,
  Id,
  Problem,
  TerritoryParams,
} from './schemas.ts';

const DENIED = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem };
const ActionParams = Type.Object({ code: TerritoryParams.properties.code, id: Id });

export function registerActionRoutes(app: App) {
  const services = app.services;
  const db = services.db.kysely;

  async function boundaryOf(code: string) {
    const territory = await getTerritory(db, code);
    if (!territory) return fail('NOT_FOUND', 'Unknown territory');
    return territory.boundary;
  }

  app.get(
    '/api/actions',
    {
      schema: {
        tags: ['actions'],
        summary: 'City actions on the map (public)',
        querystring: BboxQuery,
        response: { 200: ActionCollection, 400: Problem },
      },
    },
    async (request) => {
      const bbox = request.query.bbox.split(',').map(Number);
      const [minLon, minLat, maxLon, maxLat] = bbox;
      if (
        !bbox.every(Number.isFinite) ||
        minLon > maxLon ||
        minLat > maxLat ||
        Math.abs(minLat) > 90 ||
        Math.abs(maxLat) > 90 ||
        Math.abs(minLon) > 180 ||
        Math.abs(maxLon) > 180
      ) {
        fail('VALIDATION', 'bbox: minLon,minLat,maxLon,maxLat in WGS84');
      }
      const rows = await actionsInBbox(db, bbox, 500);
      return { type: 'FeatureCollection' as const, features: rows.map(presentAction) };
    },
  );

  app.get(
    '/api/territories/:code/actions',
    {
      schema: {
        tags: ['actions'],
        summary: 'City actions of a territory (public)',
        params: TerritoryParams,
        response: { 200: ActionCollection, 404: Problem },
      },
    },
    async (request) => {
      await boundaryOf(request.params.code);
      const rows = await listTerritoryActions(db, request.params.code);
      return { type: 'FeatureCollection' as const, features: rows.map(presentAction) };
    },
  );

  app.post(
    '/api/territories/:code/actions',
    {
      schema: {
        tags: ['actions'],
        summary: 'Publish a city action on an area of the territory (staff)',
        params: TerritoryParams,
        body: ActionBody,
        response: { 201: ActionFeature, ...DENIED },
      },
    },
    async (request, reply) => {
      const { code } = request.params;
      const user = await requireTerritoryViewer(services, request, code, canPublishActions);
      const row = await createAction(
        db,
        code,
        await boundaryOf(code),
        request.body,
        user.id,
        services.clock.now(),
      );
      return reply.status(201).send(presentAction(row));
    },
  );

  app.patch(
    '/api/territories/:code/actions/:id',
    {
      schema: {
        tags: ['actions'],
        summary: 'Edit a city action (staff)',
        params: ActionParams,
        body: ActionPatch,
        response: { 200: ActionFeature, ...DENIED },
      },
    },
    async (request) => {
      const { code, id } = request.params;
      await requireTerritoryViewer(services, request, code, canPublishActions);
      const existing = await getAction(db, code, id);
      if (!existing) return fail('NOT_FOUND', 'No such action');
      const row = await updateAction(
        db,
        existing,
        await boundaryOf(code),
        request.body,
        services.clock.now(),
      );
      return presentAction(row);
    },
  );

  app.delete(
    '/api/territories/:code/actions/:id',
    {
      schema: {
        tags: ['actions'],
        summary: 'Delete a city action (staff)',
        params: ActionParams,
        response: { 204: Type.Null(), ...DENIED },
      },
    },
    async (request, reply) => {
      const { code, id } = request.params;
      requireUser(request);
      await requireTerritoryViewer(services, request, code, canPublishActions);
      if (!(await deleteAction(db, code, id))) fail('NOT_FOUND', 'No such action');
      return reply.status(204).send(null);
    },
  );
}
