/**
 * Starting a session in the browser: a fresh AES-GCM 256 session key, wrapped for every device
 * of every chosen contact (their public keys come from the server; the key itself never
 * leaves this browser unwrapped), the destination sealed into the session's meta, then the
 * session is created and the key kept in IndexedDB for this browser's engine.
 */
import {
  encryptMeta,
  generateSessionKey,
  importPublicKey,
  wrapSessionKey,
} from '../../../src/shared/envelope.ts';
import {
  type ContactDevice,
  type Contacts,
  isUnreachable,
  type RecipientKey,
  type ShareMode,
  sharingApi,
  type Visibility,
} from './api.ts';
import { forgetShare, putShare, readCache, type ShareRecord, writeCache } from './store.ts';

export async function wrapForDevices(key: CryptoKey, devices: ContactDevice[]): Promise<RecipientKey[]> {
  const out: RecipientKey[] = [];
  for (const device of devices) {
    try {
      out.push({
        deviceId: device.id,
        wrappedKey: await wrapSessionKey(key, await importPublicKey(device.publicKey)),
      });
    } catch {
      // a malformed key cannot be used; the other devices still get theirs
    }
  }
  return out;
}

/** The public keys of my followers' devices; the last known list when offline. */
export async function followerDevices(userId: string): Promise<ContactDevice[]> {
  try {
    const { devices } = await sharingApi.followerDevices();
    await writeCache(`devices:${userId}`, devices);
    return devices;
  } catch (error) {
    const cached = await readCache<ContactDevice[]>(`devices:${userId}`);
    if (cached && isUnreachable(error)) return cached;
    throw error;
  }
}

/** My contacts; the last known list when offline (null if never loaded on this device). */
export async function loadContacts(userId: string): Promise<{ contacts: Contacts; offline: boolean }> {
  try {
    const contacts = await sharingApi.contacts();
    await writeCache(`contacts:${userId}`, contacts);
    return { contacts, offline: false };
  } catch (error) {
    const cached = await readCache<Contacts>(`contacts:${userId}`);
    if (cached && isUnreachable(error)) return { contacts: cached, offline: true };
    throw error;
  }
}

export interface StartInput {
  mode: ShareMode;
  visibility: Visibility;
  /** Expected arrival (trip) or end (night out, journey); null: none (live trip only). */
  due: Date | null;
  destination: string;
  /** Relationship ids of the contacts who may follow. */
  contactIds: string[];
  stillMinutes: number;
}

export interface Started {
  record: ShareRecord;
  /** Chosen contacts with no registered device: they cannot follow (no key for them). */
  withoutDevice: string[];
}

export async function startSharing(userId: string, input: StartInput): Promise<Started> {
  const key = await generateSessionKey();
  const id = crypto.randomUUID();
  const devices = (await followerDevices(userId)).filter((d) => input.contactIds.includes(d.contactId));
  const recipients = await wrapForDevices(key, devices);
  const destination = input.destination.trim();
  const meta = destination ? await encryptMeta(key, id, { destination }) : undefined;
  const record: ShareRecord = {
    shareId: id,
    userId,
    key,
    nextSeq: 0,
    stillMinutes: input.stillMinutes,
    urgent: false,
    createdAt: Date.now(),
  };
  // Kept before the request: if the answer is lost, the session can still be resumed.
  await putShare(record);
  const due = input.due?.toISOString();
  try {
    await sharingApi.start({
      id,
      mode: input.mode,
      visibility: input.visibility,
      recipients,
      ...(meta ? { meta } : {}),
      stillMinutes: input.stillMinutes,
      ...(due ? (input.mode === 'trip' ? { expectedArrival: due } : { until: due }) : {}),
    });
  } catch (error) {
    if (!isUnreachable(error)) await forgetShare(id);
    throw error;
  }
  const keyed = new Set(devices.map((d) => d.contactId));
  return { record, withoutDevice: input.contactIds.filter((c) => !keyed.has(c)) };
}

/**
 * Wraps the session key for devices of chosen contacts registered after the session started
 * (a contact's new phone) and sends those keys.
 */
export async function keyNewDevices(
  record: ShareRecord,
  recipients: { deviceId: string; contactId: string }[],
) {
  const chosen = new Set(recipients.map((r) => r.contactId));
  const keyed = new Set(recipients.map((r) => r.deviceId));
  const fresh = (await followerDevices(record.userId)).filter(
    (d) => chosen.has(d.contactId) && !keyed.has(d.id),
  );
  if (fresh.length === 0) return 0;
  const keys = await wrapForDevices(record.key, fresh);
  if (keys.length > 0) await sharingApi.addKeys(record.shareId, keys);
  return keys.length;
}
