/*
 * Web Push in Havre's service worker (imported by the Workbox worker that vite-plugin-pwa
 * generates: `importScripts` in web/vite.config.ts). A push carries a title, a short text and
 * a link of this site — never a position. A click opens (or focuses) that page: the watch
 * page of a trusted contact's trip, or the sharer's own screen for a check-in question.
 */
/* eslint-env serviceworker */

self.addEventListener('push', (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch {
    message = { body: event.data ? event.data.text() : '' };
  }
  const title = typeof message.title === 'string' ? message.title : 'Havre';
  const options = {
    body: typeof message.body === 'string' ? message.body : '',
    icon: '/icons/icon-192.png',
    badge: '/icons/icon-192.png',
    tag: typeof message.tag === 'string' ? message.tag : undefined,
    renotify: typeof message.tag === 'string',
    requireInteraction: true,
    data: { url: typeof message.url === 'string' ? message.url : '/' },
  };
  event.waitUntil(self.registration.showNotification(title, options));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  let target = new URL('/', self.location.origin);
  try {
    const url = new URL(event.notification.data?.url ?? '/', self.location.origin);
    // Only pages of this site: a push cannot send the user elsewhere.
    if (url.origin === self.location.origin) target = url;
  } catch {
    // keep the home page
  }
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      for (const client of windows) {
        if (client.url === target.href && 'focus' in client) return client.focus();
      }
      for (const client of windows) {
        if ('navigate' in client && 'focus' in client) {
          await client.navigate(target.href);
          return client.focus();
        }
      }
      return self.clients.openWindow(target.href);
    })(),
  );
});
