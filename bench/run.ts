import { benchApp } from './harness.js';
import { runLotBenchmarks } from './lots.js';
import { runSyncBenchmarks } from './sync.js';

/**
 * npm run bench — each figure beside a baseline measured in the same run, as a ratio.
 * On PostgreSQL when DATABASE_URL is set (use a throwaway database: the bench writes to it),
 * else on an in-memory PGlite.
 */
const b = await benchApp();
try {
  await runLotBenchmarks(b);
  await runSyncBenchmarks(b);
} finally {
  await b.database.close();
}
