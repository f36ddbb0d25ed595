/**
 * Security headers (helmet) with a real Content-Security-Policy: no inline scripts,
 * no framing (clickjacking), same-origin connections only (plus the configured map style).
 *
 * Havre's headers do not depend on the request, but @fastify/helmet builds helmet's
 * middleware anew on every request (parsing the CSP directives again): about 8 % of the CPU of
 * a small API request (`npm run bench -- nearest`, profile). So helmet computes them once, at
 * start-up, on a probe, and one hook copies them onto every reply.
 */
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** The headers every reply carries (the front door writes them too). */
    securityHeaders: Record<string, string>;
  }
}

/** The headers helmet adds with these options (those of a response without helmet removed). */
export async function helmetHeaders(options: FastifyHelmetOptions): Promise<Record<string, string>> {
  const probe = async (withHelmet: boolean) => {
    const app = Fastify({ logger: false });
    if (withHelmet) await app.register(helmet, options);
    app.get('/', async () => 'ok');
    const res = await app.inject('/');
    await app.close();
    return res.headers;
  };
  const [plain, secured] = await Promise.all([probe(false), probe(true)]);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(secured))
    if (!(name in plain) && value !== undefined) headers[name] = String(value);
  return headers;
}

export const securityHeaders = fp(async (app) => {
  const mapOrigin = app.services.config.mapStyleUrl ? new URL(app.services.config.mapStyleUrl).origin : null;
  const extra = mapOrigin ? [mapOrigin] : [];
  const headers = await helmetHeaders({
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
  app.decorate('securityHeaders', headers);
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
});
