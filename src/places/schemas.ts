/** TypeBox schemas of the places API. Response schemas are allow-lists. */
import { Type } from 'typebox';
import { ACCESSIBILITY, PLACE_LIMITS as L, PARTNER_KINDS, PARTNER_STATUSES, PLACE_KINDS } from './kinds.ts';

/** A string enum with its TypeScript union type. */
const literals = <T extends string>(values: readonly T[]) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values] });
const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const Problem = Type.Object(
  { code: Type.String(), title: Type.String(), status: Type.Integer() },
  { additionalProperties: true },
);

export const Kind = literals(PLACE_KINDS);
export const PartnerKind = literals(PARTNER_KINDS);
export const Status = literals(PARTNER_STATUSES);
export const AccessibilitySchema = literals(ACCESSIBILITY);
const Iso = Type.String({ description: 'ISO 8601 with the place’s UTC offset' });
const DateOnly = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
/**
 * WGS84 bounds of every coordinate the API takes. Outside them a query is refused (400), not
 * clamped to the nearest edge of the index: lat=1000 is an error, not the North Pole. Also read
 * by the nearest fast path (nearest-fast-path.ts), which must refuse what the schema refuses.
 */
export const COORDINATE_BOUNDS = {
  lat: { minimum: -90, maximum: 90 },
  lon: { minimum: -180, maximum: 180 },
} as const;
const Lat = Type.Number(COORDINATE_BOUNDS.lat);
const Lon = Type.Number(COORDINATE_BOUNDS.lon);
const Name = Type.String({ minLength: 1, maxLength: L.nameMax });
const Address = Type.String({ minLength: 1, maxLength: L.addressMax });
const Phone = Type.String({ minLength: 3, maxLength: L.phoneMax, pattern: '^[+0-9 ().-]+$' });
const Hours = Type.String({
  minLength: 1,
  maxLength: L.openingHoursMax,
  description: 'OSM opening_hours syntax',
});
/** Comma-separated kinds; validated against the list in the handler (stable error code). */
const KindsCsv = Type.String({ maxLength: 300, pattern: '^[a-z,]*$' });

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

export const NearestQuery = Type.Object(
  {
    lat: Lat,
    lon: Lon,
    limit: Type.Integer({ minimum: 1, maximum: L.maxNearest, default: L.defaultNearest }),
    at: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601 instant (default: now)' })),
    kinds: Type.Optional(KindsCsv),
    partnerOnly: Type.Boolean({ default: false }),
    openOnly: Type.Boolean({ default: false }),
  },
  { additionalProperties: false },
);

export const NearestPlace = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Kind,
  lat: Type.Number(),
  lon: Type.Number(),
  distanceM: Type.Integer(),
  walkMinutes: Type.Integer(),
  openNow: nullable(Type.Boolean()),
  opensAt: Type.Optional(Iso),
  closesAt: Type.Optional(Iso),
  partner: Type.Boolean(),
  trained: Type.Boolean(),
  phone: nullable(Type.String()),
  address: nullable(Type.String()),
});
export const Nearest = Type.Object({ places: Type.Array(NearestPlace) });

export const BboxQuery = Type.Object(
  {
    bbox: Type.String({ maxLength: 120, description: 'minLon,minLat,maxLon,maxLat (WGS84)' }),
    kinds: Type.Optional(KindsCsv),
  },
  { additionalProperties: false },
);

export const MapPlace = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Kind,
  lat: Type.Number(),
  lon: Type.Number(),
  partner: Type.Boolean(),
  trained: Type.Boolean(),
  openNow: nullable(Type.Boolean()),
});
export const MapPlaces = Type.Object({ places: Type.Array(MapPlace), truncated: Type.Boolean() });

const Interval = Type.Object({
  from: Type.String({ description: 'HH:MM' }),
  to: Type.String({ description: 'HH:MM (may be past midnight: 18:00–02:00)' }),
  state: literals(['open', 'unknown'] as const),
});
export const WeekDay = Type.Object({
  day: literals(['mo', 'tu', 'we', 'th', 'fr', 'sa', 'su'] as const),
  intervals: Type.Array(Interval),
});

export const PlaceCard = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Kind,
  lat: Type.Number(),
  lon: Type.Number(),
  address: nullable(Type.String()),
  phone: nullable(Type.String()),
  accessibility: nullable(AccessibilitySchema),
  source: literals(['partner', 'official', 'osm'] as const),
  timeZone: Type.String(),
  openingHours: nullable(Type.String()),
  hoursStatus: literals(['known', 'unknown', 'variable'] as const),
  week: Type.Array(WeekDay),
  openNow: nullable(Type.Boolean()),
  opensAt: Type.Optional(Iso),
  closesAt: Type.Optional(Iso),
  closedUntil: Type.Optional(Iso),
  closedReason: Type.Optional(Type.String()),
  partner: Type.Boolean(),
  trained: Type.Boolean(),
  lastTrainingDate: nullable(Type.String()),
  trainingExpiresOn: nullable(Type.String()),
  trainedStaffCount: Type.Integer(),
});

export const ExportQuery = Type.Object(
  { bbox: Type.String({ maxLength: 120, description: 'minLon,minLat,maxLon,maxLat (WGS84)' }) },
  { additionalProperties: false },
);

// ---- partner portal ----

export const Application = Type.Object(
  {
    name: Name,
    kind: PartnerKind,
    address: Address,
    lat: Lat,
    lon: Lon,
    openingHours: Type.Optional(nullable(Hours)),
    phone: Type.Optional(nullable(Phone)),
    accessibility: Type.Optional(nullable(AccessibilitySchema)),
    charterAccepted: Type.Literal(true, { description: 'Consent to the safe-place charter' }),
  },
  { additionalProperties: false },
);

export const PartnerPatch = Type.Object(
  {
    openingHours: Type.Optional(nullable(Hours)),
    closedUntil: Type.Optional(nullable(Type.String({ maxLength: 40, description: 'ISO 8601 instant' }))),
    closedReason: Type.Optional(nullable(Type.String({ maxLength: L.closedReasonMax }))),
    phone: Type.Optional(nullable(Phone)),
    accessibility: Type.Optional(nullable(AccessibilitySchema)),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const Training = Type.Object(
  { date: DateOnly, staffTrained: Type.Integer({ minimum: 1, maximum: 1000 }) },
  { additionalProperties: false },
);

export const PartnerPlace = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Kind,
  lat: Type.Number(),
  lon: Type.Number(),
  address: nullable(Type.String()),
  phone: nullable(Type.String()),
  openingHours: nullable(Type.String()),
  accessibility: nullable(AccessibilitySchema),
  status: Status,
  /** The reason given with the current status (a refusal's, a suspension's); never who gave it. */
  statusReason: nullable(Type.String()),
  territoryCode: nullable(Type.String()),
  trainedStaffCount: Type.Integer(),
  lastTrainingDate: nullable(Type.String()),
  trainingExpiresOn: nullable(Type.String()),
  /** IANA zone the venue's hours and closure are read in (the portal enters times in it). */
  timeZone: Type.String(),
  closedUntil: nullable(Type.String()),
  closedReason: nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export const PartnerPlaces = Type.Object({ places: Type.Array(PartnerPlace) });

export const TerritoryParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 20 }) });
export const TerritoryPlacesQuery = Type.Object(
  { status: Type.Optional(Status) },
  { additionalProperties: false },
);

export const Review = Type.Object(
  {
    decision: literals(['approve', 'reject', 'suspend', 'reinstate'] as const),
    reason: Type.Optional(Type.String({ maxLength: L.reviewReasonMax })),
  },
  { additionalProperties: false },
);

export const StatusChange = Type.Object({
  at: Type.String(),
  from: nullable(Status),
  to: Status,
  reason: nullable(Type.String()),
});
export const ReviewedPlace = Type.Object({ place: PartnerPlace, history: Type.Array(StatusChange) });
