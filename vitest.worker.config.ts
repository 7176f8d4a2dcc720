import { defineConfig } from 'vitest/config';

// The Worker smoke test (test/worker): the Worker under `wrangler dev` (workerd) against the
// PostgreSQL in DATABASE_URL. Kept out of `npm test` (see vitest.config.ts): it needs a real
// PostgreSQL and spends ~10 s starting workerd. Run with `npm run test:worker`.
export default defineConfig({
  test: {
    include: ['test/worker/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 30_000,
    // Starting wrangler dev is bounded by the test itself (60 s); this leaves room for migrations.
    hookTimeout: 120_000,
  },
});
