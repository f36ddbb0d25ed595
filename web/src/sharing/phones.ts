/**
 * Phone numbers of the people who follow me, kept on this phone only (never sent to the
 * server): the SOS screen offers a text message to them when the server cannot be reached.
 */
import { readCache, writeCache } from './store.ts';

/** relationship id → phone number */
export type Phones = Record<string, string>;

export async function readPhones(userId: string): Promise<Phones> {
  return { ...((await readCache<Phones>(`phones:${userId}`)) ?? {}) };
}

export async function writePhones(userId: string, phones: Phones): Promise<void> {
  await writeCache(`phones:${userId}`, phones);
}
