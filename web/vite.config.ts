/**
 * Build of the Havre PWA: React, and a Workbox service worker that precaches the app shell so
 * the app opens offline. Registration goes through an external `registerSW.js` (the server's
 * CSP forbids inline scripts).
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { precompress } from './build/precompress.ts';
import { EXPORT_CACHE } from './src/places/export-cache.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const BRAND = '#1f3f66'; // --brand in src/styles.css

export default defineConfig({
  root,
  publicDir: 'public',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Keep the budget visible: anything over this in one chunk deserves a look.
    chunkSizeWarningLimit: 300,
    // Two pages: the app, and /sos on its own (web/src/sos/sos-entry.ts: no framework before the alert).
    rollupOptions: {
      input: { app: `${root}index.html`, sos: `${root}sos.html` },
    },
  },
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:8080', ws: true } },
  },
  plugins: [
    react(),
    precompress(),
    {
      // The dev server's twin of the production server's own pages (src/server/web-app.ts).
      name: 'havre:sos-page',
      configureServer(server) {
        server.middlewares.use((req, _res, next) => {
          if (req.url?.split('?')[0] === '/sos') req.url = '/sos.html';
          next();
        });
      },
    },
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script-defer',
      includeAssets: ['favicon.svg', 'icons/apple-touch-icon-180.png'],
      manifest: {
        id: '/',
        name: 'Havre',
        short_name: 'Havre',
        description:
          'Alerter ses proches, partager un trajet, signaler un harcèlement et trouver un lieu sûr ouvert.',
        lang: 'fr',
        dir: 'ltr',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: BRAND,
        background_color: '#ffffff',
        categories: ['lifestyle', 'social', 'utilities'],
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        // Every page of the SPA opens offline; API calls and metrics always go to the network.
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/metrics/],
        cleanupOutdatedCaches: true,
        // Reports queued offline: Background Sync and app start (web/public/report-outbox-sw.js);
        // Web Push: shows alerts and opens their page on click (web/public/push-sw.js).
        importScripts: ['/report-outbox-sw.js', '/push-sw.js'],
        // MapLibre (loaded later by the map pages) is large; do not refuse to precache it.
        maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
        // The places export of an area: fresh when online, the last copy when offline
        // (web/src/places/offline-store.ts); the page fills it before the worker controls it.
        runtimeCaching: [
          {
            urlPattern: ({ url }) => url.pathname === '/api/places/export',
            handler: 'NetworkFirst',
            options: { cacheName: EXPORT_CACHE, expiration: { maxEntries: 4 } },
          },
        ],
      },
    }),
  ],
});
