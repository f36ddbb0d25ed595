/**
 * Where a place is decides the clock and the calendar its hours are read with: the IANA
 * time zone and the public-holiday region of France (metropolitan France, Alsace-Moselle,
 * each overseas territory). Bounding boxes are enough: the territories are far apart.
 * No I/O.
 */
export const HOLIDAY_REGIONS = [
  'metropole',
  'alsace-moselle',
  'guadeloupe',
  'martinique',
  'guyane',
  'reunion',
  'mayotte',
  'saint-pierre-et-miquelon',
  'saint-barthelemy',
  'saint-martin',
  'polynesie',
  'wallis-et-futuna',
  'nouvelle-caledonie',
] as const;
export type HolidayRegion = (typeof HOLIDAY_REGIONS)[number];

export interface Zone {
  /** IANA time zone the opening hours are read in. */
  timeZone: string;
  /** Calendar of public holidays (`PH` in opening_hours). */
  region: HolidayRegion;
}

type Box = [
  region: HolidayRegion,
  timeZone: string,
  minLon: number,
  minLat: number,
  maxLon: number,
  maxLat: number,
];

// Smaller boxes first: Marquesas and Gambier sit inside the Polynesia box.
const BOXES: Box[] = [
  ['polynesie', 'Pacific/Marquesas', -141.5, -11.0, -138.0, -7.5],
  ['polynesie', 'Pacific/Gambier', -135.5, -23.6, -134.3, -22.6],
  ['polynesie', 'Pacific/Tahiti', -155.0, -28.5, -134.0, -7.0],
  ['reunion', 'Indian/Reunion', 55.1, -21.5, 55.95, -20.75],
  ['mayotte', 'Indian/Mayotte', 44.9, -13.1, 45.4, -12.5],
  ['guadeloupe', 'America/Guadeloupe', -61.9, 15.8, -60.9, 16.6],
  ['martinique', 'America/Martinique', -61.3, 14.3, -60.7, 14.95],
  ['saint-barthelemy', 'America/St_Barthelemy', -62.95, 17.85, -62.75, 17.98],
  ['saint-martin', 'America/Marigot', -63.2, 18.0, -62.95, 18.13],
  ['guyane', 'America/Cayenne', -54.7, 2.0, -51.5, 6.0],
  ['saint-pierre-et-miquelon', 'America/Miquelon', -56.5, 46.7, -56.0, 47.2],
  ['nouvelle-caledonie', 'Pacific/Noumea', 163.0, -23.0, 169.0, -19.0],
  ['wallis-et-futuna', 'Pacific/Wallis', -178.3, -14.5, -176.0, -13.1],
];

/** Metropolitan France with Corsica, generously: the mainland's coasts and islands included. */
const METROPOLE: [number, number, number, number] = [-5.8, 41.2, 10.0, 51.3];

/**
 * Is this position in France (metropolitan or overseas)? Havre reads hours with France's time
 * zones and public holidays: a place elsewhere (a police station at 40.7, −74.0) would get
 * Paris's clock and calendar, and no territory.
 */
export function isInFrance(lat: number, lon: number): boolean {
  const inBox = (minLon: number, minLat: number, maxLon: number, maxLat: number) =>
    lon >= minLon && lon <= maxLon && lat >= minLat && lat <= maxLat;
  return inBox(...METROPOLE) || BOXES.some(([, , ...box]) => inBox(...box));
}

/** Départements of Alsace-Moselle, which keep Good Friday and 26 December. */
const ALSACE_MOSELLE = new Set(['57', '67', '68']);

/**
 * Zone of a position. `postcode` (or an INSEE code) refines metropolitan France:
 * Alsace-Moselle has two more holidays and its border is not a box. Anything outside the
 * overseas boxes is read as metropolitan France (Europe/Paris), which Havre serves.
 */
export function zoneAt(lat: number, lon: number, postcode?: string | null): Zone {
  for (const [region, timeZone, minLon, minLat, maxLon, maxLat] of BOXES) {
    if (lon >= minLon && lon <= maxLon && lat >= minLat && lat <= maxLat) return { timeZone, region };
  }
  const dept = postcode?.trim().slice(0, 2);
  if (dept && ALSACE_MOSELLE.has(dept)) return { timeZone: 'Europe/Paris', region: 'alsace-moselle' };
  return { timeZone: 'Europe/Paris', region: 'metropole' };
}

/** State name the opening_hours library uses for the region's holidays (its French data). */
export const LIBRARY_STATE: Record<HolidayRegion, string> = {
  metropole: 'Île-de-France',
  'alsace-moselle': 'Bas-Rhin',
  guadeloupe: 'Guadeloupe',
  martinique: 'Martinique',
  guyane: 'Guyane',
  reunion: 'La Réunion',
  mayotte: 'Mayotte',
  'saint-pierre-et-miquelon': 'Saint-Pierre-et-Miquelon',
  'saint-barthelemy': 'Saint-Barthélemy',
  'saint-martin': 'Saint-Martin',
  polynesie: 'Polynésie française',
  'wallis-et-futuna': 'Wallis-et-Futuna',
  'nouvelle-caledonie': 'Nouvelle-Calédonie',
};

export const isHolidayRegion = (value: unknown): value is HolidayRegion =>
  typeof value === 'string' && (HOLIDAY_REGIONS as readonly string[]).includes(value);
