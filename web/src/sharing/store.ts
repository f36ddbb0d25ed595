/**
 * What this browser keeps for live sharing, in IndexedDB (through `idb`):
 * - `devices`: this browser's ECDH key pair per account (the private key is a non-extractable
 *   CryptoKey: IndexedDB stores the handle, no script can read its bytes);
 * - `shares`: the session key of each session this browser shares, and the next sequence number;
 * - `outbox`: encrypted positions not yet acknowledged by the server (ciphertext only: nothing
 *   in clear is ever written to disk);
 * - `cache`: the last contacts list and their devices' public keys, so that an SOS without
 *   network can still prepare its keys and offer an SMS to the right people.
 * Private browsing without IndexedDB falls back to memory (lost on reload, but sharing works).
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';

export interface DeviceRecord {
  userId: string;
  deviceId: string;
  publicKey: string;
  keys: CryptoKeyPair;
  createdAt: number;
}

export interface ShareRecord {
  shareId: string;
  userId: string;
  /** AES-GCM session key (extractable: guest links carry it). */
  key: CryptoKey;
  nextSeq: number;
  /** Minutes without movement before the browser reports immobility (0 = never). */
  stillMinutes: number;
  /** SOS: fastest rate, whatever the battery. */
  urgent: boolean;
  createdAt: number;
}

export interface OutboxItem {
  shareId: string;
  seq: number;
  c: string;
  /** When it was last handed to the socket (0 = never). */
  sentAt: number;
}

interface SharingDb extends DBSchema {
  devices: { key: string; value: DeviceRecord };
  shares: { key: string; value: ShareRecord };
  outbox: { key: [string, number]; value: OutboxItem; indexes: { share: string } };
  cache: { key: string; value: { key: string; value: unknown; at: number } };
}

let opening: Promise<IDBPDatabase<SharingDb> | null> | null = null;

function db(): Promise<IDBPDatabase<SharingDb> | null> {
  opening ??= openDB<SharingDb>('havre-sharing', 1, {
    upgrade(database) {
      database.createObjectStore('devices', { keyPath: 'userId' });
      database.createObjectStore('shares', { keyPath: 'shareId' });
      const outbox = database.createObjectStore('outbox', { keyPath: ['shareId', 'seq'] });
      outbox.createIndex('share', 'shareId');
      database.createObjectStore('cache', { keyPath: 'key' });
    },
  }).catch(() => null);
  return opening;
}

// Memory fallback when IndexedDB cannot be opened.
const memory = {
  devices: new Map<string, DeviceRecord>(),
  shares: new Map<string, ShareRecord>(),
  outbox: new Map<string, OutboxItem>(),
  cache: new Map<string, unknown>(),
};
const outboxKey = (shareId: string, seq: number) => `${shareId}|${seq}`;

export async function getDevice(userId: string): Promise<DeviceRecord | undefined> {
  const d = await db();
  return d ? d.get('devices', userId) : memory.devices.get(userId);
}

export async function putDevice(record: DeviceRecord): Promise<void> {
  const d = await db();
  if (d) await d.put('devices', record);
  else memory.devices.set(record.userId, record);
}

export async function deleteDevice(userId: string): Promise<void> {
  const d = await db();
  if (d) await d.delete('devices', userId);
  else memory.devices.delete(userId);
}

export async function getShare(shareId: string): Promise<ShareRecord | undefined> {
  const d = await db();
  return d ? d.get('shares', shareId) : memory.shares.get(shareId);
}

export async function listShares(userId: string): Promise<ShareRecord[]> {
  const d = await db();
  const all = d ? await d.getAll('shares') : [...memory.shares.values()];
  return all.filter((s) => s.userId === userId);
}

export async function putShare(record: ShareRecord): Promise<void> {
  const d = await db();
  if (d) await d.put('shares', record);
  else memory.shares.set(record.shareId, record);
}

/** Forgets a session: its key and whatever it had not sent. */
export async function forgetShare(shareId: string): Promise<void> {
  const d = await db();
  if (d) {
    const tx = d.transaction(['shares', 'outbox'], 'readwrite');
    await tx.objectStore('shares').delete(shareId);
    const keys = await tx.objectStore('outbox').index('share').getAllKeys(shareId);
    for (const key of keys) await tx.objectStore('outbox').delete(key);
    await tx.done;
    return;
  }
  memory.shares.delete(shareId);
  for (const [key, item] of memory.outbox) if (item.shareId === shareId) memory.outbox.delete(key);
}

export async function putOutbox(item: OutboxItem): Promise<void> {
  const d = await db();
  if (d) await d.put('outbox', item);
  else memory.outbox.set(outboxKey(item.shareId, item.seq), item);
}

export async function listOutbox(shareId: string): Promise<OutboxItem[]> {
  const d = await db();
  const items = d
    ? await d.getAllFromIndex('outbox', 'share', shareId)
    : [...memory.outbox.values()].filter((i) => i.shareId === shareId);
  return items.sort((a, b) => a.seq - b.seq);
}

export async function deleteOutbox(shareId: string, seqs: number[]): Promise<void> {
  const d = await db();
  if (d) {
    const tx = d.transaction('outbox', 'readwrite');
    for (const seq of seqs) await tx.store.delete([shareId, seq]);
    await tx.done;
    return;
  }
  for (const seq of seqs) memory.outbox.delete(outboxKey(shareId, seq));
}

export async function readCache<T>(key: string): Promise<T | undefined> {
  const d = await db();
  if (!d) return memory.cache.get(key) as T | undefined;
  return (await d.get('cache', key))?.value as T | undefined;
}

export async function writeCache(key: string, value: unknown): Promise<void> {
  const d = await db();
  if (d) await d.put('cache', { key, value, at: Date.now() });
  else memory.cache.set(key, value);
}
