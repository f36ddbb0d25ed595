/**
 * Security headers (helmet) with a real Content-Security-Policy: no inline scripts,
 * no framing (clickjacking), same-origin connections only (plus the configured map style).
 */
import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';

export const securityHeaders = fp(async (app) => {
  const mapOrigin = app.services.config.mapStyleUrl ? new URL(app.services.config.mapStyleUrl).origin : null;
  const extra = mapOrigin ? [mapOrigin] : [];
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // MapLibre and React set element styles from script; no inline <style> blocks are shipped.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', ...extra],
        fontSrc: ["'self'", ...extra],
        connectSrc: ["'self'", ...extra],
        workerSrc: ["'self'", 'blob:'],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: app.services.config.publicUrl.startsWith('https:'),
  });
});
