/**
 * Request and response schemas of the reports API. Response schemas are allow-lists:
 * whatever a handler returns beyond them never leaves the server.
 */
import { Type } from 'typebox';
import { ACTION_LIMITS, NEARBY, REPORT_CATEGORIES } from '../shared/reports.ts';

export const Problem = Type.Object(
  { code: Type.String(), title: Type.String(), status: Type.Integer() },
  { additionalProperties: true },
);

export const TerritoryParams = Type.Object({
  code: Type.String({ pattern: '^(\\d{5}|2[ABab]\\d{3})$', description: 'INSEE code' }),
});
export const Id = Type.String({ pattern: '^[0-9a-f-]{36}$' });

export const ReportBody = Type.Object(
  {
    category: Type.String({ maxLength: 40, description: `one of ${REPORT_CATEGORIES.join(', ')}` }),
    role: Type.String({ maxLength: 20, description: 'victim or witness' }),
    lat: Type.Number({ description: 'WGS84 latitude; used once to find the cell, never stored' }),
    lon: Type.Number({ description: 'WGS84 longitude; used once to find the cell, never stored' }),
    occurredAt: Type.String({ maxLength: 40, description: 'ISO 8601 with offset; only its hour is kept' }),
    description: Type.Optional(Type.String({ description: 'kept only with shareDescription, PII removed' })),
    shareDescription: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const ReportCreated = Type.Object({ id: Type.String() });

export const WindowQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    category: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);

const Ring = Type.Array(Type.Array(Type.Number()));
const CellFeature = Type.Object({
  type: Type.Literal('Feature'),
  id: Type.String(),
  geometry: Type.Object({ type: Type.Literal('Polygon'), coordinates: Type.Array(Ring) }),
  properties: Type.Object({ cell: Type.String(), resolution: Type.Integer(), count: Type.Integer() }),
});
/** A window is whole UTC weeks (Monday 00:00 UTC to Monday 00:00 UTC): the release blocks of rule 3. */
const WindowFields = {
  from: Type.String({ description: 'start of the first week covered (Monday 00:00 UTC)' }),
  to: Type.String({ description: 'end of the last week covered (Monday 00:00 UTC, excluded)' }),
  weeks: Type.Integer({ description: 'whole UTC weeks covered; each is folded under k on its own' }),
};
const Totals = {
  ...WindowFields,
  total: Type.Integer({ description: 'every report of the window, held ones included' }),
  hidden: Type.Integer({ description: 'part of the total in no shown cell (below k, or held)' }),
  held: Type.Integer({ description: 'held for moderation' }),
  k: Type.Integer(),
};
export const Heatmap = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(CellFeature),
  territory: Type.String(),
  ...Totals,
});
/** Event `cells` of the live feed. */
export const LiveDiff = Type.Object({
  changed: Type.Array(CellFeature),
  removed: Type.Array(Type.String()),
  ...Totals,
});

const Count = Type.Union([Type.Integer(), Type.Null()], { description: 'null when below k' });
export const Stats = Type.Object({
  k: Type.Integer(),
  from: WindowFields.from,
  to: WindowFields.to,
  total: Type.Integer(),
  held: Type.Integer(),
  categories: Type.Array(Type.Object({ category: Type.String(), count: Count })),
  weeks: Type.Array(
    Type.Object({
      week: Type.String({ description: 'ISO week of the UTC week, e.g. 2026-W48' }),
      from: Type.String({ description: 'its Monday 00:00 UTC' }),
      count: Count,
    }),
    { description: 'one entry per UTC week of the window, in order' },
  ),
  weekdays: Type.Array(Type.Object({ weekday: Type.Integer(), count: Count })),
  hourBands: Type.Array(Type.Object({ from: Type.Integer(), to: Type.Integer(), count: Count })),
});

export const DescriptionsQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    category: Type.Optional(Type.String({ maxLength: 40 })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
    offset: Type.Integer({ minimum: 0, maximum: 100_000, default: 0 }),
  },
  { additionalProperties: false },
);
export const Descriptions = Type.Object({
  descriptions: Type.Array(Type.Object({ category: Type.String(), day: Type.String(), text: Type.String() })),
});

export const NearbyQuery = Type.Object(
  {
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    minutes: Type.Integer({
      minimum: NEARBY.minMinutes,
      maximum: NEARBY.maxMinutes,
      default: NEARBY.defaultMinutes,
    }),
  },
  { additionalProperties: false },
);
export const Nearby = Type.Object({
  k: Type.Integer(),
  minutes: Type.Integer(),
  since: Type.String({ description: 'start of the first hour bucket read (reports keep only their hour)' }),
  until: Type.String({ description: 'end of the last hour bucket read: the end of the current hour' }),
  hours: Type.Integer({ description: 'whole hours read: the buckets the last `minutes` touch' }),
  rings: Type.Array(
    Type.Object({
      ring: Type.Integer({ description: '0: the cell of the point; 1 and 2: the rings around it' }),
      cells: Type.Array(Type.String()),
      count: Type.Union([Type.Integer(), Type.Null()], {
        description:
          'reports of the hours in which the band reached k (each hour is released on its own); null when none did',
      }),
      fewerThanK: Type.Boolean({ description: 'no hour of the window reached k in this band' }),
    }),
  ),
});

export const HeldReports = Type.Object({
  reports: Type.Array(
    Type.Object({
      id: Type.String(),
      territoryCode: Type.String(),
      category: Type.String(),
      role: Type.String(),
      cell: Type.String({ description: 'resolution-9 cell' }),
      hour: Type.String({ description: 'start of the hour it happened in' }),
      day: Type.String(),
      description: Type.Union([Type.String(), Type.Null()]),
      burst: Type.Integer({ description: 'reports in the same cell and hour' }),
    }),
  ),
});

const PolygonGeometry = Type.Object(
  { type: Type.Literal('Polygon'), coordinates: Type.Array(Ring, { minItems: 1, maxItems: 20 }) },
  { additionalProperties: false },
);
export const ActionArea = Type.Union([
  PolygonGeometry,
  Type.Array(Type.String({ maxLength: 16 }), { minItems: 1, maxItems: ACTION_LIMITS.maxCells }),
]);
const ActionFields = {
  title: Type.String({ minLength: 1, maxLength: ACTION_LIMITS.titleMax }),
  text: Type.String({ maxLength: ACTION_LIMITS.textMax }),
  date: Type.String({ format: 'date' }),
  area: ActionArea,
};
export const ActionBody = Type.Object(ActionFields, { additionalProperties: false });
export const ActionPatch = Type.Object(
  {
    title: Type.Optional(ActionFields.title),
    text: Type.Optional(ActionFields.text),
    date: Type.Optional(ActionFields.date),
    area: Type.Optional(ActionFields.area),
  },
  { additionalProperties: false, minProperties: 1 },
);
export const ActionFeature = Type.Object({
  type: Type.Literal('Feature'),
  id: Type.String(),
  geometry: Type.Union([
    Type.Object({ type: Type.Literal('Polygon'), coordinates: Type.Array(Ring) }),
    Type.Object({ type: Type.Literal('MultiPolygon'), coordinates: Type.Array(Type.Array(Ring)) }),
  ]),
  properties: Type.Object({
    id: Type.String(),
    territoryCode: Type.String(),
    title: Type.String(),
    text: Type.String(),
    date: Type.String(),
    areaKind: Type.String(),
    cells: Type.Union([Type.Array(Type.String()), Type.Null()]),
    updatedAt: Type.String(),
  }),
});
export const ActionCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(ActionFeature),
});
export const BboxQuery = Type.Object(
  {
    bbox: Type.String({
      pattern: '^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$',
      description: 'minLon,minLat,maxLon,maxLat',
    }),
  },
  { additionalProperties: false },
);
