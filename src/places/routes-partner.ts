/**
 * Partner portal API (the venue's own pages) and the staff review of venues.
 * Pipeline: auth → validate → named policy (inside the unit of work) → presenter.
 */
import { requireUser } from '../accounts/authenticate.ts';
import type { App } from '../server/app.ts';
import { fail } from '../server/errors.ts';
import { applyAsPartner, recordTraining, reviewPlace, updatePartnerPlace, withdrawPlace } from './partner.ts';
import { canListTerritoryPlaces } from './policies.ts';
import { presentPartnerPlace } from './presenters.ts';
import {
  Application,
  IdParams,
  PartnerPatch,
  PartnerPlace,
  PartnerPlaces,
  Problem,
  Review,
  ReviewedPlace,
  TerritoryParams,
  TerritoryPlacesQuery,
  Training,
} from './schemas.ts';
import {
  currentStatusReasons,
  listOwnedPlaces,
  listStatusChanges,
  listTerritoryPlaces,
  type PlaceRow,
} from './store.ts';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

export default async function placesPartnerRoutes(app: App) {
  const services = app.services;
  const k = services.db.kysely;

  /** Venues as the portal shows them, each with the reason given for its current status. */
  const present = async (rows: PlaceRow[]) => {
    const reasons = await currentStatusReasons(
      k,
      rows.map((row) => row.id),
    );
    return rows.map((row) => presentPartnerPlace(row, reasons.get(row.id) ?? null));
  };
  const presentOne = async (row: PlaceRow) => (await present([row]))[0];

  app.post(
    '/api/partner/places',
    {
      schema: {
        tags: ['partner'],
        summary: 'Apply to join the safe-places network (the venue is reviewed before it shows)',
        body: Application,
        response: { 201: PartnerPlace, ...errors },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const place = await applyAsPartner(services, user, request.body);
      reply.status(201);
      return presentOne(place);
    },
  );

  app.get(
    '/api/partner/places',
    { schema: { tags: ['partner'], summary: 'My venues', response: { 200: PartnerPlaces, 401: Problem } } },
    async (request) => {
      const user = requireUser(request);
      return { places: await present(await listOwnedPlaces(k, user.id)) };
    },
  );

  app.patch(
    '/api/partner/places/:id',
    {
      schema: {
        tags: ['partner'],
        summary: 'Update hours, a temporary closure, phone or accessibility of my venue',
        params: IdParams,
        body: PartnerPatch,
        response: { 200: PartnerPlace, ...errors },
      },
    },
    async (request) =>
      presentOne(await updatePartnerPlace(services, requireUser(request), request.params.id, request.body)),
  );

  app.post(
    '/api/partner/places/:id/trainings',
    {
      schema: {
        tags: ['partner'],
        summary: 'Record a staff training session (valid 12 months)',
        params: IdParams,
        body: Training,
        response: { 201: PartnerPlace, ...errors },
      },
    },
    async (request, reply) => {
      const place = await recordTraining(services, requireUser(request), request.params.id, request.body);
      reply.status(201);
      return presentOne(place);
    },
  );

  app.post(
    '/api/partner/places/:id/withdraw',
    {
      schema: {
        tags: ['partner'],
        summary: 'Leave the network (the venue disappears from the map)',
        params: IdParams,
        response: { 200: PartnerPlace, ...errors },
      },
    },
    async (request) => presentOne(await withdrawPlace(services, requireUser(request), request.params.id)),
  );

  app.get(
    '/api/territories/:code/places',
    {
      schema: {
        tags: ['partner'],
        summary: 'Partner venues of a territory, e.g. ?status=applied for the review queue (staff, admin)',
        params: TerritoryParams,
        querystring: TerritoryPlacesQuery,
        response: { 200: PartnerPlaces, 401: Problem, 403: Problem },
      },
    },
    async (request) => {
      const user = requireUser(request);
      if (!canListTerritoryPlaces(user, request.params.code))
        fail('FORBIDDEN', 'Not staff of this territory');
      const rows = await listTerritoryPlaces(k, request.params.code, request.query.status ?? null);
      return { places: await present(rows) };
    },
  );

  app.post(
    '/api/places/:id/review',
    {
      schema: {
        tags: ['partner'],
        summary: 'Approve, reject, suspend or reinstate a venue, with a reason (audited)',
        params: IdParams,
        body: Review,
        response: { 200: ReviewedPlace, ...errors },
      },
    },
    async (request) => {
      const place = await reviewPlace(services, requireUser(request), request.params.id, request.body);
      const history = await listStatusChanges(k, place.id);
      return {
        place: presentPartnerPlace(place, history.at(-1)?.reason ?? null),
        history: history.map((h) => ({
          at: new Date(h.at).toISOString(),
          from: h.from_status,
          to: h.to_status,
          reason: h.reason,
        })),
      };
    },
  );
}
