/**
 * The service worker's copy of the places exports (Cache Storage), shared by the worker's
 * runtime caching (web/vite.config.ts: NetworkFirst on /api/places/export) and the page.
 *
 * On the very first visit the worker is still installing when the page downloads the export:
 * its fetch handler never sees that response, so without help the worker would hold no copy
 * until a later visit — and a phone with IndexedDB unavailable (private browsing) or cleared
 * would have nothing to show offline. So while no worker controls the page, the page puts
 * the export into the worker's cache itself; once controlled, the worker records it.
 */
import type { PlacesExport } from '../../../src/places/index/export-format.ts';

export const EXPORT_CACHE = 'havre-places-export';

export async function keepForServiceWorker(url: string, data: PlacesExport): Promise<void> {
  if (typeof caches === 'undefined' || navigator.serviceWorker?.controller) return;
  try {
    const cache = await caches.open(EXPORT_CACHE);
    const body = JSON.stringify(data);
    await cache.put(
      new URL(url, location.origin).href,
      new Response(body, { headers: { 'content-type': 'application/json; charset=utf-8' } }),
    );
  } catch {
    // Cache Storage refused (quota, private mode): IndexedDB may still hold the copy.
  }
}
