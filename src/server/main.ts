/**
 * Starts Havre: builds the services and the app, listens, and shuts down gracefully on
 * SIGTERM/SIGINT (stop accepting, finish in-flight requests, close the database).
 */
import { Gauge } from 'prom-client';
import { accountsJobs } from '../accounts/jobs.ts';
import { startScheduler } from '../jobs/scheduler.ts';
import { notifyJobs } from '../notify/jobs.ts';
import { placesJobs } from '../places/jobs.ts';
import { reportJobs } from '../reports/retention.ts';
import { sharingJobs } from '../sharing/jobs.ts';
import type { App } from './app.ts';
import { buildApp } from './app.ts';
import { type Config, ConfigError } from './config.ts';
import { createServices, type Services } from './services.ts';

export interface Running {
  app: App;
  services: Services;
  url: string;
  stop(): Promise<void>;
}

export async function startServer(
  config: Config,
  hooks: { beforeListen?: (services: Services) => Promise<void> } = {},
): Promise<Running> {
  const services = await createServices(config);
  await hooks.beforeListen?.(services);
  const app = await buildApp(services);
  // Slow or idle clients cannot hold sockets forever.
  app.server.headersTimeout = 20_000;
  app.server.keepAliveTimeout = 10_000;
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app.close();
    await services.close();
    throw listenError(error, config);
  }
  // Every periodic job of every capability, each on one instance at a time (leases).
  const jobs = startScheduler(services, [
    ...accountsJobs(),
    ...notifyJobs(),
    ...sharingJobs(),
    ...reportJobs(services),
    ...placesJobs(),
  ]);
  // Which instance runs which job: the one with 1 holds its lease.
  new Gauge({
    name: 'havre_job_lease_held',
    help: 'Whether this instance held the lease of a periodic job at its last attempt',
    labelNames: ['job'],
    registers: [app.metrics],
    collect() {
      this.reset();
      for (const job of jobs.held()) this.set({ job }, 1);
    },
  });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      await jobs.stop();
      await app.close(); // stops accepting, waits for in-flight requests
      await services.close();
    })();
    return stopping;
  };
  return {
    app,
    services,
    url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`,
    stop,
  };
}

export function stopOnSignals(running: Running, onStopped: () => void = () => process.exit(0)) {
  const handler = (signal: NodeJS.Signals) => {
    running.services.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    running.stop().then(onStopped, (error) => {
      running.services.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.once('SIGTERM', handler);
  process.once('SIGINT', handler);
}

/**
 * A host that does not resolve or is not an address of this machine is a configuration
 * mistake: say which variable, not a bare `getaddrinfo ENOTFOUND` (the CLI exits 78 on it).
 */
function listenError(error: unknown, config: Config): unknown {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return new ConfigError(
      'HAVRE_HOST',
      `"${config.host}" is not a name this machine can resolve; use an address of this machine ` +
        '(127.0.0.1 behind a reverse proxy, 0.0.0.0 for every interface)',
    );
  }
  if (code === 'EADDRNOTAVAIL') {
    return new ConfigError(
      'HAVRE_HOST',
      `"${config.host}" is not an address of this machine; use one of its own ` +
        '(127.0.0.1 behind a reverse proxy, 0.0.0.0 for every interface)',
    );
  }
  return error;
}
