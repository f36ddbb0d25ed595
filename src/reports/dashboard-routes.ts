/**
 * What a territory's staff (and admins) see: heatmap, charts, exports, live feed and
 * consented descriptions. Everything is an aggregate under the k rule, except the
 * descriptions, which carry only a category and a day.
 */
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { canViewTerritory } from '../accounts/policies.ts';
import { userOfToken } from '../accounts/session-cache.ts';
import type { App } from '../server/app.ts';
import { fail } from '../server/errors.ts';
import { REPORT_CATEGORIES, REPORT_WINDOWS } from '../shared/reports.ts';
import { listDescriptions } from './descriptions.ts';
import { heatmapCsv, presentHeatmap, territoryHeatmap } from './heatmap.ts';
import type { LiveClient, LiveFeeds } from './live.ts';
import { requireTerritoryViewer } from './policies.ts';
import {
  Descriptions,
  DescriptionsQuery,
  Heatmap,
  Problem,
  Stats,
  TerritoryParams,
  WindowQuery,
} from './schemas.ts';
import { territoryStats } from './stats.ts';
import { resolveWindow, type WeekWindow } from './window.ts';

function categoryFilter(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!(REPORT_CATEGORIES as readonly string[]).includes(value)) fail('REPORT_UNKNOWN_CATEGORY');
  return value;
}

const DENIED = { 400: Problem, 401: Problem, 403: Problem, 404: Problem };
const stamp = (t: number) => new Date(t).toISOString().slice(0, 10).replace(/-/g, '');

export function registerDashboardRoutes(app: App, feeds: LiveFeeds) {
  const services = app.services;
  const windowOf = (query: { from?: string; to?: string }): WeekWindow =>
    resolveWindow(query, services.clock.now(), REPORT_WINDOWS);

  app.get(
    '/api/territories/:code/heatmap',
    {
      schema: {
        tags: ['reports'],
        summary:
          'Heatmap of accepted reports: H3 cells folded under the k rule week by week (staff of the territory)',
        description:
          'The window is whole UTC weeks: `from` is rounded down and `to` up to Monday 00:00 UTC (default: the ' +
          'last 4 weeks, the current one included). Each week is folded under k on its own and the shown counts ' +
          'are summed, so no difference of two windows reveals a count below k (docs/SECURITY.md).',
        params: TerritoryParams,
        querystring: WindowQuery,
        response: { 200: Heatmap, ...DENIED },
      },
    },
    async (request) => {
      const { code } = request.params;
      await requireTerritoryViewer(services, request, code);
      const window = windowOf(request.query);
      const heatmap = await territoryHeatmap(services, code, window, categoryFilter(request.query.category));
      return presentHeatmap(heatmap, window, code);
    },
  );

  app.get(
    '/api/territories/:code/stats',
    {
      schema: {
        tags: ['reports'],
        summary:
          'Counts per category, UTC week and hour × weekday over whole UTC weeks; buckets below k are null',
        params: TerritoryParams,
        querystring: WindowQuery,
        response: { 200: Stats, ...DENIED },
      },
    },
    async (request) => {
      const { code } = request.params;
      await requireTerritoryViewer(services, request, code);
      const window = windowOf(request.query);
      const stats = await territoryStats(services, code, window, categoryFilter(request.query.category));
      return { ...stats, from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString() };
    },
  );

  // Named by the first and the last day it covers (the window's end is the next Monday 00:00,
  // excluded): the file of "2 to 29 Nov" is …-20261102-20261129, as the dashboard says.
  const attachment = (reply: FastifyReply, code: string, window: WeekWindow, ext: string) =>
    reply.header(
      'content-disposition',
      `attachment; filename="havre-${code}-heatmap-${stamp(window.from)}-${stamp(window.to - 1)}.${ext}"`,
    );

  app.get(
    '/api/territories/:code/export.csv',
    {
      schema: {
        tags: ['reports'],
        summary: 'Heatmap aggregates as CSV (cells under the k rule; never reports, never descriptions)',
        params: TerritoryParams,
        querystring: WindowQuery,
        response: { 200: Type.String(), ...DENIED },
      },
    },
    async (request, reply) => {
      const { code } = request.params;
      await requireTerritoryViewer(services, request, code);
      const window = windowOf(request.query);
      const heatmap = await territoryHeatmap(services, code, window, categoryFilter(request.query.category));
      attachment(reply, code, window, 'csv').type('text/csv; charset=utf-8');
      return heatmapCsv(heatmap, window);
    },
  );

  app.get(
    '/api/territories/:code/export.geojson',
    {
      schema: {
        tags: ['reports'],
        summary: 'Heatmap aggregates as GeoJSON (cells under the k rule; never reports, never descriptions)',
        params: TerritoryParams,
        querystring: WindowQuery,
        response: { 200: Heatmap, ...DENIED },
      },
    },
    async (request, reply) => {
      const { code } = request.params;
      await requireTerritoryViewer(services, request, code);
      const window = windowOf(request.query);
      const heatmap = await territoryHeatmap(services, code, window, categoryFilter(request.query.category));
      attachment(reply, code, window, 'geojson').type('application/geo+json');
      return presentHeatmap(heatmap, window, code);
    },
  );

  app.get(
    '/api/territories/:code/descriptions',
    {
      schema: {
        tags: ['reports'],
        summary: 'Consented descriptions (PII removed) with their category and day only',
        params: TerritoryParams,
        querystring: DescriptionsQuery,
        response: { 200: Descriptions, ...DENIED },
      },
    },
    async (request) => {
      const { code } = request.params;
      await requireTerritoryViewer(services, request, code);
      const { limit, offset } = request.query;
      const window = windowOf(request.query);
      const category = categoryFilter(request.query.category);
      return { descriptions: await listDescriptions(services, code, window, { category, limit, offset }) };
    },
  );

  app.get(
    '/api/territories/:code/live',
    {
      schema: {
        tags: ['reports'],
        summary:
          'Live heatmap of the current UTC week (Server-Sent Events: `snapshot`, then `cells` changes)',
        description:
          'On connect (and reconnect, with or without Last-Event-ID) a `snapshot` event carries the heatmap of ' +
          'the current UTC week so far (from Monday 00:00 UTC); each `cells` event carries the changed and removed cells. Comments every 15 s keep it open. ' +
          'A `degraded` event says that reports accepted by other instances do not show live for now (Redis ' +
          'away); when they do again, the stream ends and the reconnection gets a fresh snapshot.',
        params: TerritoryParams,
        response: { 200: Type.String({ description: 'text/event-stream' }), ...DENIED },
      },
    },
    async (request, reply) => {
      const { code } = request.params;
      await requireTerritoryViewer(services, request, code);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write('retry: 3000\n\n');
      const client: LiveClient = {
        event(name, id, data) {
          raw.write(`id: ${id}\nevent: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
        },
        comment(text) {
          raw.write(`: ${text}\n\n`);
        },
        end() {
          raw.end();
        },
        async allowed() {
          const token = request.sessionToken;
          return canViewTerritory(token ? await userOfToken(services, token) : null, code);
        },
      };
      let leave: (() => void) | null = null;
      let closed = false;
      request.raw.on('close', () => {
        closed = true;
        leave?.();
      });
      try {
        leave = await feeds.join(code, client);
        if (closed) leave();
      } catch (err) {
        request.log.warn({ err }, 'live feed failed');
        raw.end();
      }
    },
  );
}
