/**
 * The Havre application, composed as Fastify plugins. `main.ts` listens; tests call
 * `buildApp(services)` and `app.inject()`.
 */
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { authentication } from '../accounts/authenticate.ts';
import accountsRoutes from '../accounts/routes.ts';
import { RedisCounters } from '../bus/redis-counters.ts';
import notifyRoutes from '../notify/routes.ts';
import placesRoutes from '../places/routes.ts';
import reportsRoutes from '../reports/routes.ts';
import sharingRoutes from '../sharing/routes.ts';
import territoriesRoutes from '../territories/routes.ts';
import { clientAddress, proxyTrust } from './client-address.ts';
import { errorHandler, frameworkErrorHandler } from './error-handler.ts';
import { problem } from './errors.ts';
import { FrontDoor } from './front-door.ts';
import { serializeRequest } from './logger.ts';
import { metricsPlugin } from './metrics.ts';
import { securityHeaders } from './security-headers.ts';
import type { Services } from './services.ts';
import systemRoutes from './system-routes.ts';
import { validatorCompiler } from './validation.ts';
import { isWebAppFile, notFoundOrPage, webApp } from './web-app.ts';

export type App = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  import('fastify').FastifyBaseLogger,
  TypeBoxTypeProvider
>;

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
    /** Routes answered before Fastify's stack (front-door.ts); Fastify serves the rest. */
    frontDoor: FrontDoor;
  }
}

export interface AppOptions {
  /** Rate limit on by default; tests of other concerns may lift it. */
  rateLimit?: boolean;
  /** Redis key prefix of the rate limiter (tests isolate themselves with their own). */
  rateLimitNamespace?: string;
}

export async function buildApp(services: Services, options: AppOptions = {}): Promise<App> {
  const frontDoor = new FrontDoor();
  // The one trust function of request.ip (rate limit, throttles) and of the front door.
  const trust = proxyTrust(services.config.trustProxy);
  const app = Fastify({
    serverFactory: frontDoor.serverFactory,
    loggerInstance: services.log.child({}, { serializers: { req: serializeRequest } }),
    trustProxy: trust,
    bodyLimit: 64 * 1024,
    // Timeouts against slow clients; main.ts sets the server-level ones too.
    requestTimeout: 30_000,
    connectionTimeout: 60_000,
    // Unknown fields are an error, not silently dropped (see validation.ts).
    ajv: { customOptions: { removeAdditional: false } },
    frameworkErrors: frameworkErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  app.decorate('services', services);
  app.decorate('frontDoor', frontDoor);
  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(errorHandler);
  app.decorate('servesWebApp', false);
  app.setNotFoundHandler(notFoundOrPage);

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Havre API',
        version: '0.1.0',
        description: 'Anonymous reports, safe places, live sharing.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'havre_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  });
  await app.register(securityHeaders);
  await app.register(cookie);
  if (options.rateLimit !== false) {
    await app.register(rateLimit, {
      max: services.config.rateLimitPerMinute,
      // With Redis, limits hold across instances; without it, per process.
      ...(services.counters instanceof RedisCounters
        ? {
            redis: services.counters.redis,
            skipOnError: true,
            nameSpace: options.rateLimitNamespace ?? 'havre-rl:',
          }
        : {}),
      timeWindow: 60_000,
      // The limit is on the API: the web app's files are static, and a first visit fetches
      // ~120 of them (the service worker's precache), so five people behind one address (a
      // mobile carrier's shared IPv4, an office, a family) got 429s on the app's CSS and scripts
      // — the SOS page's included — within a minute. Floods of static files are the reverse
      // proxy's to absorb (docs/DEPLOY.md).
      allowList: (request) => isWebAppFile(request.url),
      errorResponseBuilder: (_req, context) => ({
        ...problem('TOO_MANY_REQUESTS', `Retry in ${Math.ceil(context.ttl / 1000)} s`),
        statusCode: 429,
      }),
    });
  }
  await app.register(metricsPlugin);
  await app.register(authentication);
  await app.register(websocket, { options: { maxPayload: 16 * 1024 } });
  await app.register(systemRoutes);
  await app.register(accountsRoutes);
  await app.register(territoriesRoutes);
  await app.register(placesRoutes);
  await app.register(reportsRoutes);
  await app.register(notifyRoutes);
  await app.register(sharingRoutes);
  await app.register(webApp);
  const rateLimited = options.rateLimit !== false ? app.createRateLimit() : null;
  frontDoor.connect({
    headers: app.securityHeaders,
    // The limiter's own key generator reads `ip`, its allow list `url`; it also reads the route's config.
    rateLimit: rateLimited && ((ip, url) => rateLimited({ ip, url, routeOptions: { config: {} } } as never)),
    observe: app.observeResponse,
    requestLog: services.log.isLevelEnabled('info') ? app.log : null,
    clientAddress: (req) => clientAddress(req, trust),
  });
  app.addHook('preClose', (done) => {
    frontDoor.close();
    done();
  });
  return app;
}
