import { configDefaults, defineConfig } from 'vitest/config';

// One database per test run: PGlite with PostGIS takes ~10 s to start, so all test files run in
// one worker process without module isolation and share the instance in test/helpers/db.ts.
// With DATABASE_URL set, the same suite runs against that PostgreSQL instead.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // The Worker smoke test runs on its own (npm run test:worker, vitest.worker.config.ts).
    exclude: [...configDefaults.exclude, 'test/worker/**'],
    pool: 'forks',
    isolate: false,
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
