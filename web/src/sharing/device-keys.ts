/**
 * This browser's device key: an ECDH P-256 pair made on first use with Web Crypto, the private
 * key non-extractable and kept in IndexedDB, the public key registered with the account so
 * that trusted contacts can wrap session keys for it. One pair per account on this browser.
 */

import { exportPublicKey, generateDeviceKeyPair, unwrapSessionKey } from '../../../src/shared/envelope.ts';
import { ApiError } from '../api/client.ts';
import { sharingApi } from './api.ts';
import { type DeviceRecord, deleteDevice, getDevice, putDevice } from './store.ts';

const inFlight = new Map<string, Promise<DeviceRecord>>();

/** A short label the user recognises in the device list ("Chrome · Android"). */
export function deviceLabel(userAgent = navigator.userAgent): string {
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrome\/|Chromium\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : 'Navigateur';
  const system = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad|iPod/.test(userAgent)
      ? 'iOS'
      : /Mac OS X/.test(userAgent)
        ? 'macOS'
        : /Windows/.test(userAgent)
          ? 'Windows'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : '';
  return system ? `${browser} · ${system}` : browser;
}

async function register(userId: string): Promise<DeviceRecord> {
  const keys = await generateDeviceKeyPair();
  const publicKey = await exportPublicKey(keys.publicKey);
  const device = await sharingApi.registerDevice(publicKey, deviceLabel());
  const record: DeviceRecord = { userId, deviceId: device.id, publicKey, keys, createdAt: Date.now() };
  await putDevice(record);
  return record;
}

/**
 * The device of `userId` on this browser, registered if needed. With `verify`, asks the server
 * whether it is still registered (it may have been revoked from another device) and makes a
 * new pair when it is not.
 */
export function ensureDevice(userId: string, options: { verify?: boolean } = {}): Promise<DeviceRecord> {
  const running = inFlight.get(userId);
  if (running) return running;
  const work = (async () => {
    const stored = await getDevice(userId);
    if (stored && !options.verify) return stored;
    if (stored) {
      try {
        const { devices } = await sharingApi.devices();
        if (devices.some((d) => d.id === stored.deviceId)) return stored;
        await deleteDevice(userId);
      } catch (error) {
        if (!(error instanceof ApiError) || error.status === 0) return stored; // offline: keep it
        throw error;
      }
    }
    return register(userId);
  })();
  inFlight.set(userId, work);
  return work.finally(() => inFlight.delete(userId));
}

/** The id of this browser's device for `userId`, if it has one (no network). */
export async function currentDeviceId(userId: string): Promise<string | null> {
  return (await getDevice(userId))?.deviceId ?? null;
}

/** Opens the session key wrapped for this device among `wrappedKeys`; null if none is for it. */
export async function openSessionKey(
  device: DeviceRecord,
  wrappedKeys: { deviceId: string; wrappedKey: string }[],
): Promise<CryptoKey | null> {
  const mine = wrappedKeys.find((k) => k.deviceId === device.deviceId);
  return mine ? unwrapSessionKey(mine.wrappedKey, device.keys) : null;
}
