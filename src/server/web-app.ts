/**
 * Serves the built PWA from HAVRE_WEB_DIR, with the SPA fallback: any GET that is not an
 * API route and accepts HTML gets index.html. The service worker is never cached by HTTP. Text
 * files go out as the Brotli or gzip copy the build wrote beside them, when the client accepts it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { notFoundHandler } from './error-handler.ts';

declare module 'fastify' {
  interface FastifyInstance {
    servesWebApp: boolean;
  }
}

export const webApp = fp(async (app) => {
  const root = app.services.config.webDir;
  if (!existsSync(join(root, 'index.html'))) {
    app.log.warn('web app not built (npm run build): only the API is served');
    return;
  }
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    // Our own policy below: hashed assets forever, entry points never.
    cacheControl: false,
    index: ['index.html'],
    // The build writes a .br and a .gz copy of every text file (web/build/precompress.ts).
    preCompressed: true,
    setHeaders(res, path) {
      res.setHeader('vary', 'accept-encoding');
      if (path.endsWith('sw.js') || path.endsWith('.html') || path.endsWith('.webmanifest')) {
        res.setHeader('cache-control', 'no-cache');
      } else if (path.includes('/assets/')) {
        res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      }
    },
  });
  app.servesWebApp = true;
});

/**
 * A request for one of the web app's files (documents, scripts, styles, icons, service
 * workers): anything outside the API and the metrics.
 */
export function isWebAppFile(url: string): boolean {
  return !url.startsWith('/api/') && !url.startsWith('/metrics');
}

/** Pages of the web app that are their own document, not a route of index.html. */
const OWN_PAGES: Record<string, string> = { '/sos': 'sos.html' };

/** Not found: a page of the web app gets its document (index.html for client-side routes), anything else a 404. */
export function notFoundOrPage(request: FastifyRequest, reply: FastifyReply) {
  const isPage =
    request.server.servesWebApp &&
    request.method === 'GET' &&
    isWebAppFile(request.url) &&
    (request.headers.accept ?? '').includes('text/html');
  if (!isPage) return notFoundHandler(request, reply);
  const page = OWN_PAGES[request.url.split(/[?#]/)[0]] ?? 'index.html';
  return reply.type('text/html').header('cache-control', 'no-cache').sendFile(page);
}
