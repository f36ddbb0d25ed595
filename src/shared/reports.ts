/**
 * Reports: the vocabulary and limits shared by the server and the web app (report screen,
 * dashboard). One source, so both agree.
 */

/** What happened. `insecurity` is a feeling of insecurity without a specific act. */
export const REPORT_CATEGORIES = [
  'verbal_harassment',
  'following',
  'sexual_harassment',
  'sexual_assault',
  'physical_assault',
  'exhibitionism',
  'discrimination',
  'insecurity',
  'other',
] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];

/** Who reports: the person it happened to, or someone who saw it. */
export const REPORT_ROLES = ['victim', 'witness'] as const;
export type ReportRole = (typeof REPORT_ROLES)[number];

export const REPORT_LIMITS = {
  /** Characters of the optional description, before PII is removed. */
  descriptionMax: 2000,
  /** How far back a report may be dated. */
  maxAgeDays: 30,
  /** A device clock a little ahead of the server is not "the future". */
  clockSkewMinutes: 5,
  /** H3 resolution stored with each report (≈ 66 m edge) and the coarsest shown (≈ 1.2 km edge). */
  storedResolution: 10,
  finestShownResolution: 9,
  coarsestShownResolution: 7,
  /** k of k-anonymity can be configured, never below this. */
  minimumK: 3,
} as const;

/**
 * Dashboard windows: whole UTC weeks (Monday 00:00 UTC to Monday 00:00 UTC), the release
 * blocks of the k rule (docs/ARCHITECTURE.md). Presets end with the current week.
 */
export const REPORT_WINDOWS = {
  presets: [
    { id: 'week', weeks: 1 },
    { id: '4w', weeks: 4 },
    { id: '13w', weeks: 13 },
    { id: '52w', weeks: 52 },
  ],
  defaultWeeks: 4,
  /** Longest window a dashboard may ask for (reports are kept 24 months by default: 105 weeks, plus the weeks they straddle). */
  maxWeeks: 115,
} as const;

/** "Near me now": how recent, and how far (H3 rings of resolution-9 cells around the user). */
export const NEARBY = {
  defaultMinutes: 30,
  minMinutes: 5,
  maxMinutes: 180,
  rings: 2,
} as const;

/** City actions published by a municipality on an area. */
export const ACTION_LIMITS = {
  titleMax: 120,
  textMax: 4000,
  maxCells: 500,
  maxVertices: 2000,
} as const;

/** Time zone of a territory, from its INSEE code (overseas departments have their own). */
export function territoryTimeZone(code: string): string {
  if (code.startsWith('971')) return 'America/Guadeloupe';
  if (code.startsWith('972')) return 'America/Martinique';
  if (code.startsWith('973')) return 'America/Cayenne';
  if (code.startsWith('974')) return 'Indian/Reunion';
  if (code.startsWith('976')) return 'Indian/Mayotte';
  return 'Europe/Paris';
}
