/** Coverage gaps of a territory, for its staff and admins (dashboard layer and ranked list). */
import { Type } from 'typebox';
import { requireUser } from '../accounts/authenticate.ts';
import { resolveWindow } from '../reports/window.ts';
import type { App } from '../server/app.ts';
import { fail } from '../server/errors.ts';
import { coverageGaps, presentCoverageGaps } from './coverage.ts';
import { canListTerritoryPlaces } from './policies.ts';
import { Problem, TerritoryParams } from './schemas.ts';

const DAY = 86_400_000;

const GapsQuery = Type.Object(
  {
    days: Type.Integer({
      minimum: 1,
      maximum: 366,
      default: 90,
      description:
        'window: the whole UTC weeks that cover the last N days (the k rule is applied week by week)',
    }),
    walkM: Type.Integer({
      minimum: 50,
      maximum: 2000,
      default: 300,
      description: 'walking distance, metres',
    }),
  },
  { additionalProperties: false },
);

const Gaps = Type.Object({
  type: Type.Literal('FeatureCollection'),
  territory: Type.String(),
  from: Type.String({ description: 'Monday 00:00 UTC' }),
  to: Type.String({ description: 'Monday 00:00 UTC, excluded' }),
  weeks: Type.Integer(),
  walkM: Type.Integer(),
  k: Type.Integer(),
  total: Type.Integer(),
  uncovered: Type.Integer(),
  hidden: Type.Integer(),
  features: Type.Array(
    Type.Object({
      type: Type.Literal('Feature'),
      id: Type.String(),
      geometry: Type.Object({
        type: Type.Literal('Polygon'),
        coordinates: Type.Array(Type.Array(Type.Array(Type.Number()))),
      }),
      properties: Type.Object({
        rank: Type.Integer(),
        cell: Type.String(),
        resolution: Type.Integer(),
        uncovered: Type.Integer(),
      }),
    }),
  ),
});

export default async function placesCoverageRoutes(app: App) {
  const services = app.services;
  app.get(
    '/api/territories/:code/coverage-gaps',
    {
      schema: {
        tags: ['places'],
        summary:
          'Where reports happen with no open refuge within walking distance at their hours (k rule applies)',
        params: TerritoryParams,
        querystring: GapsQuery,
        response: { 200: Gaps, 401: Problem, 403: Problem },
      },
    },
    async (request) => {
      const user = requireUser(request);
      if (!canListTerritoryPlaces(user, request.params.code))
        fail('FORBIDDEN', 'Not staff of this territory');
      const now = services.clock.now();
      const from = new Date(now - request.query.days * DAY).toISOString();
      const window = resolveWindow({ from }, now, { defaultWeeks: 1, maxWeeks: 55 });
      const options = { window, walkM: request.query.walkM };
      const gaps = await coverageGaps(services, request.params.code, options);
      return presentCoverageGaps(gaps, request.params.code, options);
    },
  );
}
