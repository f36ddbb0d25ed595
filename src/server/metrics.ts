/**
 * Prometheus metrics at /metrics. One registry per app, so several apps can live in one
 * process (tests, benchmarks). Labels use route patterns, never raw URLs.
 */
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Registry;
    /** Records a response (route pattern, never a raw URL); also used by the front door. */
    observeResponse(method: string, route: string, status: number, seconds: number): void;
  }
}

export const metricsPlugin = fp(async (app) => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'havre_' });
  const duration = new Histogram({
    name: 'havre_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  // One labelled child per method, route and status, found again by a string key: `observe`
  // with a label object hashes and checks the labels on every request.
  const series = new Map<string, Histogram.Internal<'method' | 'route' | 'status'>>();
  const observe = (method: string, route: string, status: number, seconds: number) => {
    const key = `${method} ${status} ${route}`;
    let child = series.get(key);
    if (!child) {
      child = duration.labels({ method, route, status });
      series.set(key, child);
    }
    child.observe(seconds);
  };
  app.decorate('metrics', registry);
  app.decorate('observeResponse', observe);
  app.addHook('onResponse', (request, reply, done) => {
    observe(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
});
