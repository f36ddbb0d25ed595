/**
 * Demo data: a year of SYNTHETIC reports for Paris 17e and Rouen, so that the heatmap, the
 * charts and the k folding are visible in `npm start`. Seeded random generator (the same
 * data on every machine), realistic rhythms (evenings and weekend nights), denser around
 * nightlife streets. Every row is labelled `synthetic = 1`. Written through the same
 * anonymization and aggregates as real reports (bulk path). Only when no report exists.
 */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Services } from '../server/services.ts';
import { REPORT_CATEGORIES, territoryTimeZone } from '../shared/reports.ts';
import { getTerritory } from '../territories/registry.ts';
import { type AnonymousReport, anonymizeReport } from './anonymize.ts';
import { DAY_MS, floorHour, localParts } from './local-time.ts';
import { writeReportsBulk } from './writer.ts';

interface Hotspot {
  lat: number;
  lon: number;
  weight: number;
  sigmaM: number; // spread around the spot, metres
}

/** Nightlife and transit spots per territory (approximate positions of public places). */
const HOTSPOTS: Record<string, Hotspot[]> = {
  '75117': [
    { lat: 48.8835, lon: 2.3262, weight: 5, sigmaM: 120 }, // place de Clichy, 17e side
    { lat: 48.8872, lon: 2.3257, weight: 4, sigmaM: 150 }, // avenue de Clichy, La Fourche
    { lat: 48.8905, lon: 2.3205, weight: 3, sigmaM: 150 }, // avenue de Clichy, Brochant
    { lat: 48.8846, lon: 2.3208, weight: 4, sigmaM: 130 }, // rue des Dames / Batignolles
    { lat: 48.8868, lon: 2.3175, weight: 2, sigmaM: 120 }, // place du Docteur-Félix-Lobligeois
    { lat: 48.8935, lon: 2.3135, weight: 2, sigmaM: 180 }, // porte de Clichy / parc Martin-Luther-King
    { lat: 48.8795, lon: 2.2965, weight: 2, sigmaM: 150 }, // Ternes / avenue de Wagram
  ],
  '76540': [
    { lat: 49.443, lon: 1.088, weight: 5, sigmaM: 130 }, // place du Vieux-Marché
    { lat: 49.4405, lon: 1.0965, weight: 4, sigmaM: 120 }, // rue Saint-Romain / cathédrale
    { lat: 49.4404, lon: 1.0902, weight: 3, sigmaM: 100 }, // rue du Gros-Horloge
    { lat: 49.439, lon: 1.102, weight: 3, sigmaM: 130 }, // place Saint-Marc
    { lat: 49.449, lon: 1.094, weight: 2, sigmaM: 150 }, // gare Rouen-Rive-Droite
    { lat: 49.433, lon: 1.087, weight: 2, sigmaM: 200 }, // Saint-Sever, rive gauche
  ],
};

const PER_TERRITORY = 3000;
const SHARE_HOTSPOT = 0.8;
// Relative frequency by local hour (night-heavy) and ISO weekday (Friday, Saturday nights).
const BY_HOUR = [8, 7, 5, 3, 2, 1, 1, 2, 3, 2, 2, 2, 3, 3, 3, 3, 4, 5, 6, 6, 7, 8, 9, 9];
const BY_WEEKDAY = [0, 0.8, 0.8, 0.9, 1.0, 1.4, 1.6, 1.0];
const CATEGORY_WEIGHTS: Record<string, number> = {
  verbal_harassment: 30,
  following: 15,
  sexual_harassment: 15,
  sexual_assault: 3,
  physical_assault: 5,
  exhibitionism: 4,
  discrimination: 5,
  insecurity: 20,
  other: 3,
};
const DESCRIPTIONS = [
  'Un homme m’a suivie depuis la sortie du métro jusqu’à ma rue. (données de démonstration)',
  'Commentaires insistants d’un groupe devant un bar, je me suis sentie en danger. (démonstration)',
  'Rue mal éclairée, personne autour, très peu rassurant. (démonstration)',
  'Insultes en passant, puis il a continué à crier derrière moi. (démonstration)',
  'J’ai vu un homme coller une femme à l’arrêt de bus, elle a changé de trottoir. (démonstration)',
];

/** mulberry32: small, fast, seeded. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: T[], weight: (item: T) => number): T {
  const total = items.reduce((s, x) => s + weight(x), 0);
  let r = random() * total;
  for (const item of items) {
    r -= weight(item);
    if (r <= 0) return item;
  }
  return items[items.length - 1];
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Synthetic reports of one territory over the year before `now`. Pure. */
export function generateDemoReports(
  code: string,
  boundary: Parameters<typeof booleanPointInPolygon>[1],
  bbox: [number, number, number, number],
  now: number,
  count = PER_TERRITORY,
  seed = Number(code) || 1,
): AnonymousReport[] {
  const random = prng(seed);
  const spots = HOTSPOTS[code] ?? [];
  const zone = territoryTimeZone(code);
  const maxWeight = Math.max(...BY_HOUR) * Math.max(...BY_WEEKDAY);
  const out: AnonymousReport[] = [];
  while (out.length < count) {
    let lat: number;
    let lon: number;
    if (spots.length && random() < SHARE_HOTSPOT) {
      const spot = pick(random, spots, (s) => s.weight);
      lat = spot.lat + (gaussian(random) * spot.sigmaM) / 111_320;
      lon = spot.lon + (gaussian(random) * spot.sigmaM) / (111_320 * Math.cos((spot.lat * Math.PI) / 180));
    } else {
      lon = bbox[0] + random() * (bbox[2] - bbox[0]);
      lat = bbox[1] + random() * (bbox[3] - bbox[1]);
    }
    if (!booleanPointInPolygon([lon, lat], boundary)) continue;
    const t = now - 365 * DAY_MS + Math.floor(random() * 365 * DAY_MS);
    // The hour's parts (the same local hour and weekday: whole-hour offsets), which the memo
    // of localParts serves; at the exact millisecond every draw formatted a date with Intl.
    const local = localParts(floorHour(t), zone);
    if (random() * maxWeight > BY_HOUR[local.hour] * BY_WEEKDAY[local.weekday]) continue;
    const category = pick(random, [...REPORT_CATEGORIES], (c) => CATEGORY_WEIGHTS[c] ?? 1);
    const shareDescription = random() < 0.05;
    const input = {
      category,
      role: random() < 0.7 ? 'victim' : 'witness',
      lat,
      lon,
      occurredAt: new Date(t).toISOString(),
      shareDescription,
      description: shareDescription ? DESCRIPTIONS[Math.floor(random() * DESCRIPTIONS.length)] : undefined,
    };
    out.push(anonymizeReport(input, code, t));
  }
  return out;
}

/** Seeds the demo territories that exist in the database, if no report exists yet. */
export async function seedDemoReports(services: Services): Promise<number> {
  const db = services.db.kysely;
  if (await db.selectFrom('reports').select('id').limit(1).executeTakeFirst()) return 0;
  const now = services.clock.now();
  let written = 0;
  for (const code of Object.keys(HOTSPOTS)) {
    const territory = await getTerritory(db, code);
    if (!territory) continue;
    const reports = generateDemoReports(code, territory.boundary, territory.bbox, now);
    written += await writeReportsBulk(services, reports, { synthetic: true });
  }
  if (written) services.log.info({ reports: written }, 'demo: synthetic reports seeded');
  return written;
}
