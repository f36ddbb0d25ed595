/**
 * Kinds of places and the limits shared by the server and the PWA (one module both import).
 * No I/O.
 */
export const PLACE_KINDS = [
  'bar',
  'restaurant',
  'nightclub',
  'shop',
  'pharmacy',
  'hotel',
  'institution',
  'transport',
  'police',
  'gendarmerie',
  'association',
] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];

/** Kinds a venue may apply as: police and gendarmerie come from official data only. */
export const PARTNER_KINDS = PLACE_KINDS.filter((k) => k !== 'police' && k !== 'gendarmerie');

export const PLACE_SOURCES = ['partner', 'official', 'osm'] as const;
export type PlaceSource = (typeof PLACE_SOURCES)[number];

/**
 * `withdrawn`: the venue left the network (its partner, or an erased account); `rejected`: its
 * application was refused in the review, so it never was in the network. Both are final.
 */
export const PARTNER_STATUSES = ['applied', 'verified', 'suspended', 'withdrawn', 'rejected'] as const;
export type PartnerStatus = (typeof PARTNER_STATUSES)[number];

/** A venue in a final status can change nothing any more: it applies again instead. */
export const isFinalStatus = (status: PartnerStatus | null): boolean =>
  status === 'withdrawn' || status === 'rejected';

export const ACCESSIBILITY = ['yes', 'limited', 'no'] as const;
export type Accessibility = (typeof ACCESSIBILITY)[number];

export const isPlaceKind = (value: unknown): value is PlaceKind =>
  typeof value === 'string' && (PLACE_KINDS as readonly string[]).includes(value);

export const PLACE_LIMITS = {
  /** Results of one nearest query. */
  maxNearest: 50,
  defaultNearest: 5,
  /** Places returned for one map viewport, and its largest side in degrees. */
  maxBboxPlaces: 2000,
  maxBboxSpanDeg: 2,
  /** The offline export covers a larger area (a city and its surroundings). */
  maxExportPlaces: 20_000,
  maxExportSpanDeg: 6,
  nameMax: 200,
  addressMax: 300,
  phoneMax: 40,
  openingHoursMax: 1000,
  closedReasonMax: 300,
  reviewReasonMax: 1000,
  /** Straight-line walking speed used for `walkMinutes` (km/h). */
  walkKmh: 5,
  /** Months a staff training stays valid; reminder this many days before it expires. */
  trainingValidityMonths: 12,
  trainingReminderDays: 30,
} as const;

/** Bit of each kind, for filters over flat arrays. */
export const kindBit = (kind: PlaceKind): number => 1 << PLACE_KINDS.indexOf(kind);
