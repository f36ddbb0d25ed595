/**
 * Web Push on this browser: with the user's permission, a push subscription made with the
 * server's VAPID public key and registered with the account. The service worker (public/
 * push-sw.js, imported by the Workbox worker) shows the notification and opens its link.
 */
import { fromBase64url } from '../../../src/shared/envelope.ts';
import { sharingApi } from './api.ts';

export type PushState = 'enabled' | 'denied' | 'unsupported' | 'failed';

export function pushSupported(): boolean {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

/** Whether this browser already has a subscription and the permission. */
export async function pushEnabled(): Promise<boolean> {
  if (!pushSupported() || Notification.permission !== 'granted') return false;
  const registration = await navigator.serviceWorker.getRegistration();
  return Boolean(await registration?.pushManager.getSubscription());
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms)),
  ]);
}

export async function enablePush(): Promise<PushState> {
  if (!pushSupported()) return 'unsupported';
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return 'denied';
  try {
    const registration = await withTimeout(navigator.serviceWorker.ready, 10_000);
    const { publicKey } = await sharingApi.pushKey();
    const subscription =
      (await registration.pushManager.getSubscription()) ??
      (await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: fromBase64url(publicKey),
      }));
    await sharingApi.subscribePush(subscription.toJSON());
    return 'enabled';
  } catch {
    // No push service in this browser (some privacy-focused builds), or no service worker.
    return 'failed';
  }
}
