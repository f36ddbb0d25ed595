/**
 * Demo data: the real police stations, gendarmeries and CIDFF of France from `data/places/`
 * (DILA, Licence Ouverte), plus synthetic partner venues in Paris 17e and Rouen, clearly
 * labelled « (démo) », with realistic hours. Runs only on an empty places table.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Services } from '../server/services.ts';
import { territoryAt } from '../territories/registry.ts';
import { dateInZone } from './hours/tz.ts';
import { zoneAt } from './hours/zones.ts';
import { importPlaces } from './import/import.ts';
import type { PlaceKind } from './kinds.ts';
import { placesChanged } from './live-index.ts';
import { countPlaces, type NewPlace } from './store.ts';
import { addDays, addMonths } from './training.ts';

export const DEMO_PLACE_FILES = ['police-gendarmerie-france.geojson', 'cidff-france.geojson'];
export const DEMO_PARTNER_EMAIL = 'cafe@havre.example';

export const placesDataPath = (file: string) =>
  fileURLToPath(new URL(`../../data/places/${file}`, import.meta.url));

interface DemoVenue {
  name: string;
  kind: PlaceKind;
  lat: number;
  lon: number;
  address: string;
  hours: string;
  phone: string;
  /** Days since the last staff training (null: never trained). */
  trainedDaysAgo: number | null;
  staff?: number;
  owned?: boolean;
}

const BAR = 'Mo-Sa 17:00-02:00; PH off';
const PHARMACY_ON_CALL = 'Mo-Sa 08:30-20:30; We 08:30-24:00; Su,PH 09:00-13:00';
const SHOP = 'Mo-Sa 10:00-19:30; Su off; PH off';

const VENUES: DemoVenue[] = [
  // Paris 17e — Batignolles, avenue de Clichy, place de Clichy, Ternes
  {
    name: 'Le Refuge des Batignolles (démo)',
    kind: 'bar',
    lat: 48.8846,
    lon: 2.3206,
    address: '12 rue des Batignolles, 75017 Paris',
    hours: BAR,
    phone: '01 00 00 00 01',
    trainedDaysAgo: 40,
    staff: 6,
    owned: true,
  },
  {
    name: 'Café du Square (démo)',
    kind: 'restaurant',
    lat: 48.8873,
    lon: 2.3178,
    address: '3 rue Legendre, 75017 Paris',
    hours: 'Mo-Su 07:30-23:30',
    phone: '01 00 00 00 02',
    trainedDaysAgo: 340,
    staff: 4,
  },
  {
    name: 'Pharmacie des Dames (démo)',
    kind: 'pharmacy',
    lat: 48.8836,
    lon: 2.3236,
    address: '40 rue des Dames, 75017 Paris',
    hours: PHARMACY_ON_CALL,
    phone: '01 00 00 00 03',
    trainedDaysAgo: 120,
    staff: 3,
  },
  {
    name: 'Librairie Lemercier (démo)',
    kind: 'shop',
    lat: 48.888,
    lon: 2.321,
    address: '25 rue Lemercier, 75017 Paris',
    hours: SHOP,
    phone: '01 00 00 00 04',
    trainedDaysAgo: null,
  },
  {
    name: 'Le Clichy Tardif (démo)',
    kind: 'bar',
    // On the avenue's 17e side: its middle is the border with the 18e (data/territories/).
    lat: 48.887,
    lon: 2.325,
    address: '88 avenue de Clichy, 75017 Paris',
    hours: BAR,
    phone: '01 00 00 00 05',
    trainedDaysAgo: 200,
    staff: 5,
  },
  {
    name: 'Hôtel de la Place (démo)',
    kind: 'hotel',
    lat: 48.8838,
    lon: 2.3271,
    address: '2 place de Clichy, 75017 Paris',
    hours: '24/7',
    phone: '01 00 00 00 06',
    trainedDaysAgo: 90,
    staff: 8,
  },
  {
    name: 'Le Ternes Club (démo)',
    kind: 'nightclub',
    lat: 48.8784,
    lon: 2.2981,
    address: '5 place des Ternes, 75017 Paris',
    hours: 'Th-Sa 23:00-05:00',
    phone: '01 00 00 00 07',
    trainedDaysAgo: 30,
    staff: 12,
  },
  {
    name: 'Brasserie Poncelet (démo)',
    kind: 'restaurant',
    lat: 48.8791,
    lon: 2.2964,
    address: '14 rue Poncelet, 75017 Paris',
    hours: 'Tu-Sa 12:00-14:30,19:00-23:30',
    phone: '01 00 00 00 08',
    trainedDaysAgo: null,
  },
  // Rouen — Vieux-Marché, rue du Gros-Horloge, quais
  {
    name: 'Au Vieux-Marché (démo)',
    kind: 'bar',
    lat: 49.4433,
    lon: 1.088,
    address: '10 place du Vieux-Marché, 76000 Rouen',
    hours: BAR,
    phone: '02 00 00 00 01',
    trainedDaysAgo: 60,
    staff: 4,
    owned: true,
  },
  {
    name: 'Crêperie du Gros-Horloge (démo)',
    kind: 'restaurant',
    lat: 49.441,
    lon: 1.0915,
    address: '60 rue du Gros-Horloge, 76000 Rouen',
    hours: 'Mo-Sa 11:30-22:30',
    phone: '02 00 00 00 02',
    trainedDaysAgo: 150,
    staff: 3,
  },
  {
    name: 'Pharmacie de l’Horloge (démo)',
    kind: 'pharmacy',
    lat: 49.4405,
    lon: 1.093,
    address: '90 rue du Gros-Horloge, 76000 Rouen',
    hours: 'Mo-Sa 09:00-19:30; Fr 09:00-24:00; PH off',
    phone: '02 00 00 00 03',
    trainedDaysAgo: 250,
    staff: 2,
  },
  {
    name: 'Boutique des Quais (démo)',
    kind: 'shop',
    lat: 49.439,
    lon: 1.092,
    address: '15 quai de la Bourse, 76000 Rouen',
    hours: SHOP,
    phone: '02 00 00 00 04',
    trainedDaysAgo: null,
  },
  {
    name: 'Le Hangar (démo)',
    kind: 'nightclub',
    lat: 49.44,
    lon: 1.084,
    address: 'quai du Havre, 76000 Rouen',
    hours: 'We-Sa 23:00-05:00',
    phone: '02 00 00 00 05',
    trainedDaysAgo: 350,
    staff: 10,
  },
  {
    name: 'Bar de la Rive Gauche (démo)',
    kind: 'bar',
    lat: 49.437,
    lon: 1.088,
    address: 'quai Cavelier-de-la-Salle, 76100 Rouen',
    hours: 'Tu-Su 16:00-01:00',
    phone: '02 00 00 00 06',
    trainedDaysAgo: 20,
    staff: 5,
  },
];

export interface DemoPlacesReport {
  skipped: boolean;
  official: number;
  rejected: number;
  partners: number;
}

export async function seedDemoPlaces(services: Services): Promise<DemoPlacesReport> {
  const { db, clock } = services;
  if ((await countPlaces(db.kysely)) > 0) return { skipped: true, official: 0, rejected: 0, partners: 0 };
  let official = 0;
  let rejected = 0;
  for (const file of DEMO_PLACE_FILES) {
    const report = await importPlaces(services, placesDataPath(file), { source: 'official' });
    official += report.inserted;
    rejected += report.rejected.length;
  }
  const owner = await db.kysely
    .selectFrom('users')
    .select('id')
    .where('email', '=', DEMO_PARTNER_EMAIL)
    .executeTakeFirst();
  const now = clock.now();
  const rows: NewPlace[] = [];
  for (const v of VENUES) {
    const zone = zoneAt(v.lat, v.lon, /\b(\d{5})\b/.exec(v.address)?.[1]);
    const id = randomUUID();
    const trained =
      v.trainedDaysAgo === null ? null : addDays(dateInZone(zone.timeZone, now), -v.trainedDaysAgo);
    rows.push({
      id,
      name: v.name,
      kind: v.kind,
      lat: v.lat,
      lon: v.lon,
      address: v.address,
      phone: v.phone,
      opening_hours: v.hours,
      time_zone: zone.timeZone,
      holiday_region: zone.region,
      accessibility: null,
      source: 'partner',
      source_id: `demo:${id}`,
      territory_code: await territoryAt(services, v.lat, v.lon),
      status: 'verified',
      owner_user_id: v.owned && owner ? owner.id : null,
      charter_accepted_at: now,
      trained_staff_count: trained ? (v.staff ?? 1) : 0,
      last_training_date: trained,
      training_expires_on: trained ? addMonths(trained, 12) : null,
      training_reminder_for: null,
      closed_until: null,
      closed_reason: null,
      created_at: now,
      updated_at: now,
    });
  }
  await db.kysely.transaction().execute(async (tx) => {
    await tx.insertInto('places').values(rows).execute();
    await tx
      .insertInto('place_status_changes')
      .values(
        rows.map((r) => ({
          id: randomUUID(),
          place_id: r.id,
          actor_user_id: null,
          at: now,
          from_status: 'applied' as const,
          to_status: 'verified' as const,
          reason: 'démo',
        })),
      )
      .execute();
  });
  await placesChanged(services);
  return { skipped: false, official, rejected, partners: rows.length };
}
