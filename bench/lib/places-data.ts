/**
 * Synthetic places over metropolitan France, deterministic (same seed, same places), with a
 * realistic mix of opening hours: many unknown (most police records), bars open late,
 * offices, shops closed on Sundays, restaurants, 24/7. Shared by every variant of the
 * nearest-refuge benchmark so Havre, geokdbush and PostGIS answer over the same data.
 */
import { compileHours } from '../../src/places/hours/compile.ts';
import type { WeekHours } from '../../src/places/hours/types.ts';
import { OPEN } from '../../src/places/hours/types.ts';
import { zoneAt } from '../../src/places/hours/zones.ts';
import type { IndexedPlace } from '../../src/places/index/places-index.ts';
import { PLACE_KINDS } from '../../src/places/kinds.ts';
import type { NewPlace } from '../../src/places/store.ts';

export const HOURS: [string | null, number][] = [
  [null, 0.3],
  ['Mo-Sa 17:00-02:00; PH off', 0.2],
  ['Mo-Fr 08:00-12:00,14:00-18:00', 0.15],
  ['24/7', 0.1],
  ['Mo-Sa 10:00-19:30; Su off; PH off', 0.1],
  ['Tu-Sa 12:00-14:30,19:00-23:30', 0.1],
  ['Mo-Su 07:30-23:30', 0.05],
];

/** Two instants the benchmark asks "open now" at (neither is a public holiday). */
export const INSTANTS = {
  'Saturday 22:00': Date.parse('2026-11-28T21:00:00Z'),
  'Sunday 04:00': Date.parse('2026-11-29T03:00:00Z'),
};

/** mulberry32: small, fast, seeded, full period (a float LCG loses bits and repeats points). */
export function lcg(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SynthPlace {
  id: string;
  name: string;
  kind: (typeof PLACE_KINDS)[number];
  lat: number;
  lon: number;
  hours: string | null;
  partner: boolean;
  closedUntil: number | null;
}

export function synthPlaces(n: number, seed = 42): SynthPlace[] {
  const rand = lcg(seed);
  const pickHours = () => {
    let r = rand();
    for (const [value, p] of HOURS) {
      r -= p;
      if (r < 0) return value;
    }
    return null;
  };
  const out: SynthPlace[] = [];
  for (let i = 0; i < n; i++) {
    const lat = 42.5 + rand() * 8.5;
    const lon = -4.5 + rand() * 12;
    out.push({
      id: `00000000-0000-4000-8000-${i.toString().padStart(12, '0')}`,
      name: `Lieu ${i}`,
      kind: PLACE_KINDS[Math.floor(rand() * PLACE_KINDS.length)],
      lat,
      lon,
      partner: rand() < 0.2,
      closedUntil: rand() < 0.01 ? Date.parse('2030-01-01T00:00:00Z') : null,
      hours: pickHours(),
    });
  }
  return out;
}

/** Query points (same generator, another seed). */
export function synthQueries(n: number, seed = 7): [number, number][] {
  const rand = lcg(seed);
  return Array.from({ length: n }, () => [42.5 + rand() * 8.5, -4.5 + rand() * 12]);
}

export function toIndexed(p: SynthPlace): IndexedPlace {
  return {
    id: p.id,
    name: p.name,
    kind: p.kind,
    lat: p.lat,
    lon: p.lon,
    address: null,
    phone: null,
    partner: p.partner,
    trainingExpiresAt: null,
    closedUntil: p.closedUntil,
    hours: compileHours(p.hours, zoneAt(p.lat, p.lon)),
  };
}

/** Rows for Havre's `places` table (official source: visible without a partner review). */
export function toRow(p: SynthPlace, now: number): NewPlace {
  const zone = zoneAt(p.lat, p.lon);
  return {
    id: p.id,
    name: p.name,
    kind: p.kind,
    lat: p.lat,
    lon: p.lon,
    address: null,
    phone: null,
    opening_hours: p.hours,
    time_zone: zone.timeZone,
    holiday_region: zone.region,
    accessibility: null,
    source: 'official',
    source_id: p.id,
    territory_code: null,
    status: null,
    owner_user_id: null,
    charter_accepted_at: null,
    trained_staff_count: 0,
    last_training_date: null,
    training_expires_on: null,
    training_reminder_for: null,
    closed_until: p.closedUntil,
    closed_reason: null,
    created_at: now,
    updated_at: now,
  };
}

/**
 * The open intervals of a place's week as minutes since Monday 00:00 local time, from
 * Havre's own compiler: what the PostGIS peer stores as an int4multirange, so both sides
 * apply the same open-now rule (public holidays aside: the benchmark's instants are not).
 */
export function weekOpenRanges(p: SynthPlace): [number, number][] | null {
  const compiled = compileHours(p.hours, zoneAt(p.lat, p.lon));
  if (compiled.kind !== 'week') return null;
  const seg = (compiled as WeekHours).week;
  const out: [number, number][] = [];
  for (let i = 0; i < seg.length; i += 3) if (seg[i + 2] === OPEN) out.push([seg[i], seg[i + 1]]);
  return out;
}
