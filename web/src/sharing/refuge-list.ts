/**
 * Which refuges a person in danger (or a contact following them) is shown: the nearest places
 * open now, and the nearest police station or gendarmerie not known to be closed. Nine in ten of
 * those offices have no opening hours in the official data (data/PROVENANCE.md: 382 of 3,660), so
 * "open now" alone hid the commissariat round the corner — 140 m away in Paris 17e — behind bars
 * a kilometre off. It is shown with its hours said unknown, and its phone. Places beyond walking
 * reach are left out: "the nearest open place" 109 km away (the demo's bar in Rouen, seen from
 * Paris at 1 a.m.) is not where one runs; the screen's 17 and 112 stay.
 */
import type { PlaceKind } from '../../../src/places/kinds.ts';
import type { NearestPlace } from './api.ts';

export const OPEN_REFUGES = 3;
export const STATION_KINDS: PlaceKind[] = ['police', 'gendarmerie'];
/** About two hours on foot. */
export const REACH_M = 10_000;

/** `open`: nearest open places; `stations`: nearest police and gendarmerie, whatever their hours. */
export function refugeList(open: NearestPlace[], stations: NearestPlace[]): NearestPlace[] {
  const near = open.filter((p) => p.distanceM <= REACH_M);
  const station = stations.find((p) => p.openNow !== false && p.distanceM <= REACH_M);
  if (!station || near.some((p) => p.id === station.id)) return near;
  return [...near, station].sort((a, b) => a.distanceM - b.distanceM);
}
