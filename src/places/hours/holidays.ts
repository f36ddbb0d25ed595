/**
 * Public holidays of France (jours fériés), per region, as day numbers (days since
 * 1970-01-01 in local time). The list mirrors the French data of the opening_hours library
 * so that compiled tables and the library agree (a test checks it over many years).
 * No I/O.
 */
import type { HolidayRegion } from './zones.ts';

type Rule = { month: number; day: number } | { easter: number };
type Entry = Rule & { only?: HolidayRegion[] };

const HOLIDAYS: Entry[] = [
  { month: 1, day: 1 }, // Jour de l'an
  { easter: 1 }, // Lundi de Pâques
  { month: 5, day: 1 }, // Fête du travail
  { month: 5, day: 8 }, // Victoire 1945
  { easter: 39 }, // Ascension
  { easter: 50 }, // Lundi de Pentecôte
  { month: 7, day: 14 }, // Fête nationale
  { month: 8, day: 15 }, // Assomption
  { month: 11, day: 1 }, // Toussaint
  { month: 11, day: 11 }, // Armistice
  { month: 12, day: 25 }, // Noël
  { month: 3, day: 5, only: ['polynesie'] }, // Arrivée de l'Évangile
  { easter: -2, only: ['alsace-moselle', 'guadeloupe', 'martinique', 'polynesie', 'saint-barthelemy'] },
  { month: 4, day: 27, only: ['mayotte'] }, // Abolition de l'esclavage
  { month: 4, day: 28, only: ['wallis-et-futuna'] },
  { month: 5, day: 22, only: ['martinique'] },
  { month: 5, day: 27, only: ['guadeloupe', 'saint-martin'] },
  { month: 6, day: 10, only: ['guyane'] },
  { month: 6, day: 29, only: ['wallis-et-futuna'] },
  { month: 7, day: 21, only: ['guadeloupe', 'martinique'] }, // Victor Schœlcher
  { month: 7, day: 29, only: ['wallis-et-futuna'] },
  { month: 9, day: 24, only: ['nouvelle-caledonie'] },
  { month: 10, day: 9, only: ['saint-barthelemy'] },
  { month: 11, day: 20, only: ['polynesie'] }, // Matari'i
  { month: 12, day: 20, only: ['reunion'] }, // Abolition de l'esclavage
  { month: 12, day: 26, only: ['alsace-moselle'] },
];

const DAY_MS = 86_400_000;

/** Day number of a calendar date. */
export const dayNumber = (year: number, month: number, day: number): number =>
  Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);

/** Easter Sunday (Gregorian, anonymous algorithm of Meeus/Jones/Butcher) as a day number. */
export function easterDay(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayNumber(year, month, day);
}

/** Holidays of one year in one region, as day numbers. */
export function holidaysOf(region: HolidayRegion, year: number): number[] {
  const easter = easterDay(year);
  return HOLIDAYS.filter((h) => !h.only || h.only.includes(region))
    .map((h) => ('easter' in h ? easter + h.easter : dayNumber(year, h.month, h.day)))
    .sort((a, b) => a - b);
}

const cache = new Map<string, Set<number>>();

/** Is this local day a public holiday in the region? Cached per region and year. */
export function isHoliday(region: HolidayRegion, day: number): boolean {
  const year = new Date(day * DAY_MS).getUTCFullYear();
  const key = `${region}:${year}`;
  let set = cache.get(key);
  if (!set) {
    if (cache.size > 2000) cache.clear();
    set = new Set(holidaysOf(region, year));
    cache.set(key, set);
  }
  return set.has(day);
}
