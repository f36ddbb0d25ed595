import { defineConfig } from 'vitest/config';

/**
 * Vitest runs one worker per core but one (`availableParallelism() - 1`): a single worker on a
 * 2-core machine, every file after the other, and the browser journeys after all of them. Most
 * test time is waiting (fsync, PostgreSQL, timers, a browser), so three workers share one
 * queue (journeys spread through it, test/setup/sequencer.ts) and keep both cores busy.
 * HAVRE_TEST_WORKERS overrides the number.
 */
const WORKERS = Number(process.env.HAVRE_TEST_WORKERS) || 3;

export default defineConfig({
  test: {
    sequence: { sequencer: (await import('./test/setup/sequencer.ts')).default },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          setupFiles: ['test/setup/log-scan.ts'],
          exclude: ['test/e2e/**', 'test/soak/**', 'node_modules/**'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
          maxWorkers: WORKERS,
          // A worker runs file after file in one process: the server's modules are loaded once
          // per worker instead of once per file (5 minutes of a run went to loading them).
          // Every file makes its own apps and databases; log-scan.ts empties what it scanned.
          isolate: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/helpers/build-web.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          pool: 'forks',
          maxWorkers: WORKERS,
        },
      },
      // `npm run test:soak` (HAVRE_SOAK_MINUTES, 30 by default); absent from a plain `vitest run`.
      ...(process.env.HAVRE_SOAK_MINUTES
        ? [
            {
              test: {
                name: 'soak',
                include: ['test/soak/**/*.test.ts'],
                environment: 'node',
                testTimeout: 120 * 60_000,
                hookTimeout: 180_000,
                pool: 'forks' as const,
                fileParallelism: false,
              },
            },
          ]
        : []),
    ],
  },
});
