import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
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
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          pool: 'forks',
          fileParallelism: false,
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
