import { benchApp } from './harness.js';
import { runHistoryBenchmarks } from './history.js';
import { runHttpBenchmarks } from './http.js';
import { runLedgerBenchmarks } from './ledger.js';
import { runLotBenchmarks } from './lots.js';
import { runMerkleBenchmarks } from './merkle.js';
import { runProvenanceBenchmarks } from './provenance.js';
import { runScreeningBenchmarks } from './screening.js';
import { runStateBenchmarks } from './state.js';
import { runSyncBenchmarks } from './sync.js';

/**
 * npm run bench — each figure beside a baseline measured in the same run, as a ratio.
 * On PostgreSQL when DATABASE_URL is set (use a throwaway database: the bench writes to it),
 * else on an in-memory PGlite. BENCH_ONLY=lots,history,provenance,sync,screening,merkle,state,ledger,http
 * runs a subset.
 * The state suite runs before the ledger's, whose bare events name lots no table holds. The http
 * suite (the server out of process, under concurrent load) runs last: on PostgreSQL it empties
 * the database for a fresh server (bench/http.ts).
 */
const suites = {
  lots: runLotBenchmarks,
  history: runHistoryBenchmarks,
  provenance: runProvenanceBenchmarks,
  sync: runSyncBenchmarks,
  screening: runScreeningBenchmarks,
  merkle: () => runMerkleBenchmarks(),
  state: runStateBenchmarks,
  ledger: runLedgerBenchmarks,
  http: runHttpBenchmarks,
};
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const b = await benchApp();
try {
  for (const [name, run] of Object.entries(suites)) {
    if (!only || only.includes(name)) await run(b);
  }
} finally {
  await b.database.close();
}
