/**
 * The live point → territory lookup of a running Havre. Built lazily from the database,
 * rebuilt when territories change (a `territories.changed` message on the bus, which
 * reaches every instance).
 */
import type { Services } from '../server/services.ts';
import { TerritoryLookup } from './lookup.ts';
import { listTerritories } from './store.ts';

export { getTerritory } from './store.ts';

export const TERRITORIES_CHANGED = 'territories.changed';

const lookups = new WeakMap<Services, Promise<TerritoryLookup>>();
const subscribed = new WeakSet<Services>();

async function build(services: Services): Promise<TerritoryLookup> {
  const territories = await listTerritories(services.db.kysely);
  return new TerritoryLookup(territories);
}

export async function territoryLookup(services: Services): Promise<TerritoryLookup> {
  if (!subscribed.has(services)) {
    subscribed.add(services);
    await services.bus.subscribe(TERRITORIES_CHANGED, () => lookups.delete(services));
  }
  let lookup = lookups.get(services);
  if (!lookup) {
    lookup = build(services);
    lookups.set(services, lookup);
    lookup.catch(() => lookups.delete(services));
  }
  return lookup;
}

/** INSEE code of the territory containing the point, or null when outside every territory. */
export async function territoryAt(services: Services, lat: number, lon: number): Promise<string | null> {
  return (await territoryLookup(services)).find(lat, lon);
}

export async function territoriesChanged(services: Services): Promise<void> {
  lookups.delete(services);
  await services.bus.publish(TERRITORIES_CHANGED, {});
}
