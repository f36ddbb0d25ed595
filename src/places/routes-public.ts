/**
 * Public places API: nearest refuge, the map's viewport, a place's card and the offline
 * export. No sign-in: a person in danger must not have to create an account.
 */
import { type Static, Type } from 'typebox';
import type { App } from '../server/app.ts';
import { acceptsGzip } from '../server/content-coding.ts';
import { fail } from '../server/errors.ts';
import { gzipped, matchesEtag, preparedExport } from './export-answer.ts';
import { PLACE_LIMITS } from './kinds.ts';
import { placesIndex, toIndexedPlace } from './live-index.ts';
import { answerNearest, NEAREST_CONTENT_TYPE, nearestParams } from './nearest-answer.ts';
import { nearestFastPath } from './nearest-fast-path.ts';
import { presentCard, presentMapPlace } from './presenters.ts';
import { parseBbox, parseKinds } from './query.ts';
import {
  BboxQuery,
  ExportQuery,
  IdParams,
  MapPlaces,
  Nearest,
  NearestQuery,
  PlaceCard,
  Problem,
} from './schemas.ts';
import { getPlace, isVisible } from './store.ts';

const Segs = Type.Array(Type.Integer());
const Profiles = Type.Array(Type.Union([Segs, Type.Null()]));
const ExportHours = Type.Object({
  kind: Type.Union([Type.Literal('unknown'), Type.Literal('week'), Type.Literal('rules')]),
  timeZone: Type.String(),
  region: Type.String(),
  reason: Type.Optional(Type.String()),
  week: Type.Optional(Segs),
  holidays: Type.Optional(
    Type.Union([
      Type.Object({ holiday: Profiles, afterHoliday: Profiles, secondHoliday: Profiles }),
      Type.Null(),
    ]),
  ),
  value: Type.Optional(Type.String()),
});
const ExportSchema = Type.Object({
  format: Type.Literal('havre-places-1'),
  generatedAt: Type.String(),
  bbox: Type.Array(Type.Number(), { minItems: 4, maxItems: 4 }),
  hours: Type.Array(ExportHours),
  places: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      kind: Type.String(),
      lat: Type.Number(),
      lon: Type.Number(),
      address: Type.Union([Type.String(), Type.Null()]),
      phone: Type.Union([Type.String(), Type.Null()]),
      partner: Type.Boolean(),
      trainingExpiresAt: Type.Union([Type.Number(), Type.Null()]),
      closedUntil: Type.Union([Type.Number(), Type.Null()]),
      hours: Type.Integer(),
    }),
  ),
});

export default async function placesPublicRoutes(app: App) {
  const services = app.services;

  app.get(
    '/api/places/nearest',
    {
      config: { sessionless: true },
      schema: {
        tags: ['places'],
        summary: 'Nearest safe places and police stations, by great-circle distance',
        querystring: NearestQuery,
        response: { 200: Nearest, 400: Problem },
      },
    },
    async (request, reply) => {
      const params = nearestParams(request.query, services.clock.now());
      const index = await placesIndex(services);
      // Bytes from per-place and per-minute fragments (nearest-json.ts): already JSON, a
      // Buffer payload skips the response serialiser (the schema still documents the shape).
      const body = answerNearest(index, params) as unknown as Static<typeof Nearest>;
      return reply.type(NEAREST_CONTENT_TYPE).send(body);
    },
  );
  // The same answer before Fastify's routing and hooks, for queries it fully understands.
  app.frontDoor.route('/api/places/nearest', nearestFastPath(services));

  app.get(
    '/api/places',
    {
      config: { sessionless: true },
      schema: {
        tags: ['places'],
        summary: 'Places inside a map viewport (capped; `truncated` says when some were left out)',
        querystring: BboxQuery,
        response: { 200: MapPlaces, 400: Problem },
      },
    },
    async (request) => {
      const bbox = parseBbox(request.query.bbox, PLACE_LIMITS.maxBboxSpanDeg);
      const kinds = parseKinds(request.query.kinds);
      const index = await placesIndex(services);
      const now = services.clock.now();
      const { places, truncated } = index.inBbox(bbox, { kinds, limit: PLACE_LIMITS.maxBboxPlaces });
      return { places: places.map((p) => presentMapPlace(p, now)), truncated };
    },
  );

  app.get(
    '/api/places/export',
    {
      config: { sessionless: true },
      schema: {
        tags: ['places'],
        summary: 'Compact export of an area for offline nearest refuge in the PWA',
        querystring: ExportQuery,
        response: {
          200: ExportSchema,
          304: Type.Null({ description: 'Unchanged since the ETag named in If-None-Match' }),
          400: Problem,
        },
      },
    },
    async (request, reply) => {
      const bbox = parseBbox(request.query.bbox, PLACE_LIMITS.maxExportSpanDeg);
      const index = await placesIndex(services);
      const answer = preparedExport(index, bbox, services.clock.now());
      if (!answer)
        return fail(
          'PLACE_BBOX_TOO_LARGE',
          `More than ${PLACE_LIMITS.maxExportPlaces} places: ask for a smaller area`,
        );
      reply
        .header('cache-control', 'no-cache')
        .header('etag', answer.etag)
        .header('vary', 'accept-encoding')
        .type('application/json; charset=utf-8');
      if (matchesEtag(request.headers['if-none-match'], answer.etag)) return reply.code(304).send(null);
      // Some 350 bytes a place in JSON, a sixth of that gzipped, on a phone network.
      const gzip = acceptsGzip(request.headers['accept-encoding']);
      if (gzip) reply.header('content-encoding', 'gzip');
      // Already JSON: a Buffer skips the response serialiser (the schema still documents it).
      const body = gzip ? await gzipped(answer) : answer.json;
      return reply.send(body as unknown as Static<typeof ExportSchema>);
    },
  );

  app.get(
    '/api/places/:id',
    {
      config: { sessionless: true },
      schema: {
        tags: ['places'],
        summary: 'A place’s card: hours of the week, open now, trained-staff badge, accessibility',
        params: IdParams,
        response: { 200: PlaceCard, 404: Problem },
      },
    },
    async (request) => {
      const row = await getPlace(services.db.kysely, request.params.id);
      if (!row || !isVisible(row)) return fail('NOT_FOUND', 'No such place');
      return presentCard(row, toIndexedPlace(row), services.clock.now());
    },
  );
}
