/**
 * Reports API, one plugin: intake and "near me now" for citizens, moderation for admins,
 * aggregates / live feed / exports / descriptions for a territory's staff, city actions.
 * Each route reads as its pipeline: auth → policy → validate → named function → presenter.
 */

import { Type } from 'typebox';
import { requireUser } from '../accounts/authenticate.ts';
import type { App } from '../server/app.ts';
import { registerActionRoutes } from './actions-routes.ts';
import { registerDashboardRoutes } from './dashboard-routes.ts';
import { IDEMPOTENCY_HEADER } from './idempotency.ts';
import { submitReport } from './intake.ts';
import { LiveFeeds } from './live.ts';
import { acceptHeldReport, listHeldReports, rejectHeldReport } from './moderation.ts';
import { nearbyCounts } from './nearby.ts';
import { requireModerator } from './policies.ts';
import { HeldReports, Id, Nearby, NearbyQuery, Problem, ReportBody, ReportCreated } from './schemas.ts';
import { reportWriter } from './writer.ts';

export default async function reportsRoutes(app: App) {
  const services = app.services;
  const feeds = new LiveFeeds(services);
  // Open event streams would hold the server open: end them before it waits for requests.
  app.addHook('preClose', async () => {
    await feeds.close();
  });
  app.addHook('onClose', async () => {
    await reportWriter(services).close();
  });

  app.post(
    '/api/reports',
    {
      schema: {
        tags: ['reports'],
        summary: 'Report harassment or insecurity, anonymously',
        description:
          'The exact point and time are used once to find the territory, the H3 cells and the hour, then dropped. ' +
          'The stored report is not linked to the account, the IP or the device. ' +
          'Send the same random `Idempotency-Key` header (16 to 100 characters of A-Z a-z 0-9 - _) with every ' +
          'attempt at one report: a retry after a lost answer gets the same id and stores nothing new.',
        body: ReportBody,
        response: { 201: ReportCreated, 400: Problem, 401: Problem, 422: Problem, 429: Problem },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const created = await submitReport(services, user, request.body, request.headers[IDEMPOTENCY_HEADER]);
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/api/reports/nearby',
    {
      schema: {
        tags: ['reports'],
        summary: 'Recent reports around a point, under the k rule (the position is neither logged nor kept)',
        querystring: NearbyQuery,
        response: { 200: Nearby, 401: Problem },
      },
    },
    async (request) => {
      requireUser(request);
      const { lat, lon, minutes } = request.query;
      return nearbyCounts(services, lat, lon, minutes);
    },
  );

  app.get(
    '/api/admin/reports/held',
    {
      schema: {
        tags: ['reports', 'admin'],
        summary: 'Reports held for moderation (bursts in one cell and hour)',
        querystring: Type.Object(
          { limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) },
          { additionalProperties: false },
        ),
        response: { 200: HeldReports, 401: Problem, 403: Problem },
      },
    },
    async (request) => {
      requireModerator(request);
      return { reports: await listHeldReports(services, request.query.limit) };
    },
  );

  const IdParams = Type.Object({ id: Id });
  app.post(
    '/api/admin/reports/:id/accept',
    {
      schema: {
        tags: ['reports', 'admin'],
        summary: 'Accept a held report: it joins the aggregates and the live feed',
        params: IdParams,
        response: { 204: Type.Null(), 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      requireModerator(request);
      await acceptHeldReport(services, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/admin/reports/:id/reject',
    {
      schema: {
        tags: ['reports', 'admin'],
        summary: 'Reject a held report: it is deleted',
        params: IdParams,
        response: { 204: Type.Null(), 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      requireModerator(request);
      await rejectHeldReport(services, request.params.id);
      return reply.status(204).send(null);
    },
  );

  registerDashboardRoutes(app, feeds);
  registerActionRoutes(app);
}
