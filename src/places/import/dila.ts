/**
 * The DILA directory of public offices (Service-Public.fr, « Base de données locales »)
 * as GeoJSON: police stations, gendarmerie brigades, CIDFF. Its `ouverture` arrays become
 * OSM opening_hours. No I/O.
 */
import type { Accessibility, PlaceKind } from '../kinds.ts';
import { num, type ParsedPlace, text } from './types.ts';

const KINDS: Record<string, PlaceKind> = {
  commissariat_police: 'police',
  gendarmerie: 'gendarmerie',
  cidf: 'association',
};

const DAYS: Record<string, number> = {
  lundi: 0,
  mardi: 1,
  mercredi: 2,
  jeudi: 3,
  vendredi: 4,
  samedi: 5,
  dimanche: 6,
};
const OSM_DAYS = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];

const ACCESS: Record<string, Accessibility> = { ACC: 'yes', DEM: 'limited', NAC: 'no' };

interface Opening {
  debut?: string;
  fin?: string;
  plagesHoraires?: { debut?: string; fin?: string }[];
}

function time(value: string | undefined, isEnd: boolean): string | null {
  const m = /^(\d{2}):(\d{2})(?::\d{2})?$/.exec(value ?? '');
  if (!m) return null;
  if (isEnd && m[1] === '00' && m[2] === '00') return '24:00';
  return `${m[1]}:${m[2]}`;
}

/**
 * `[{debut:'lundi', fin:'vendredi', plagesHoraires:[{debut:'08:00:00', fin:'12:00:00'}]}]`
 * → `Mo-Fr 08:00-12:00`. Entries are joined with `;`, or with `,` (OSM's additional rule)
 * when their days overlap, so that a second range for the same day adds instead of
 * replacing. Null when there is nothing usable; throws on an unreadable entry.
 */
export function ouvertureToOpeningHours(ouverture: unknown): string | null {
  if (!Array.isArray(ouverture) || ouverture.length === 0) return null;
  const rules: string[] = [];
  const days = new Set<number>();
  let overlap = false;
  for (const entry of ouverture as Opening[]) {
    const from = DAYS[entry.debut ?? ''];
    const to = DAYS[entry.fin ?? entry.debut ?? ''];
    if (from === undefined || to === undefined)
      throw new Error(`unknown day "${entry.debut}"–"${entry.fin}"`);
    const ranges = (entry.plagesHoraires ?? []).map((p) => {
      const a = time(p.debut, false);
      const b = time(p.fin, true);
      if (!a || !b) throw new Error(`unreadable time "${p.debut}"–"${p.fin}"`);
      return `${a}-${b}`;
    });
    if (ranges.length === 0) continue;
    for (let d = from; ; d = (d + 1) % 7) {
      if (days.has(d)) overlap = true;
      days.add(d);
      if (d === to) break;
    }
    const daySel = from === to ? OSM_DAYS[from] : `${OSM_DAYS[from]}-${OSM_DAYS[to]}`;
    rules.push(`${daySel} ${ranges.join(',')}`);
  }
  return rules.length ? rules.join(overlap ? ', ' : '; ') : null;
}

export const isDilaCollection = (features: unknown[]): boolean =>
  features.some(
    (f) => typeof (f as { properties?: { pivotLocal?: unknown } })?.properties?.pivotLocal === 'string',
  );

export function parseDilaFeature(feature: unknown, row: number): ParsedPlace {
  const f = (feature ?? {}) as {
    geometry?: { type?: string; coordinates?: unknown[] };
    properties?: Record<string, unknown>;
  };
  const p = f.properties ?? {};
  const coords = f.geometry?.type === 'Point' ? f.geometry.coordinates : null;
  const lon = num(coords?.[0]) ?? num(p.longitude);
  const lat = num(coords?.[1]) ?? num(p.latitude);
  const pivot = text(p.pivotLocal) ?? '';
  const lines = Array.isArray(p.adresseLignes) ? p.adresseLignes.map(text).filter(Boolean) : [];
  const town = [text(p.codePostal), text(p.nomCommune)].filter(Boolean).join(' ');
  let openingHours: string | null = null;
  let rejectReason: string | undefined;
  try {
    openingHours = ouvertureToOpeningHours(p.ouverture);
  } catch (error) {
    rejectReason = `unreadable ouverture: ${(error as Error).message}`;
  }
  return {
    row,
    sourceId: text(p.id),
    name: text(p.nom),
    kind: KINDS[pivot] ?? { unknown: pivot },
    lat,
    lon,
    address: [...lines, town].filter(Boolean).join(', ') || null,
    phone: text(p.telephone),
    openingHours,
    accessibility: ACCESS[text(p.accessibilite) ?? ''] ?? null,
    postcode: text(p.codeInsee) ?? text(p.codePostal),
    ...(rejectReason ? { rejectReason } : {}),
  };
}
