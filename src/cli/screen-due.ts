import { parseArgs } from 'node:util';
import { loadNodeConfig } from '../config.node.js';
import { openDatabase, pgliteDir } from '../db/node.js';
import { sequence } from '../domain/ledger/store.js';
import { screenDue } from '../domain/screening/due.js';
import { loadLedgerKey } from '../services.node.js';

/**
 * npm run screen:due [-- --json]
 * Thin shell over domain/screening/due.ts, for a scheduler (cron, a Kubernetes CronJob) when the
 * server's own timer is off (SCREEN_DUE_INTERVAL_SECONDS=0) or several servers share a database.
 */
const usage = `usage: npm run screen:due [-- --json]

Runs the screening that falls due with time: every mercury movement whose diversion lag
(thresholds.inputs.lagDays) has passed since the last run is judged once against the gold its
consignee declared (INPUT_OUTPUT_MISMATCH, diversion), and flagged if the gold does not account
for it. Flags are signed ledger events, so the ledger key is needed (LEDGER_PRIVATE_JWK, else the
key in DATA_DIR/keys); the ledger is then sequenced. Database: DATABASE_URL, else the embedded
PGlite in DATA_DIR (stop the server first, PGlite is single-process). Safe to run at any time and
from several places: runs are serialized and a movement is never flagged twice.

  --json       print the result as JSON
  -h, --help

Exit status: 0 done; 1 the run failed (nothing was written); 2 bad options.`;

async function main(): Promise<number> {
  let json: boolean;
  try {
    const { values } = parseArgs({
      options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      console.log(usage);
      return 0;
    }
    json = values.json;
  } catch (e) {
    console.error(`${(e as Error).message}\n(npm run screen:due -- --help lists the options)`);
    return 2;
  }
  const config = loadNodeConfig();
  // Flags are raised as signed events: the server's key, or the sequencer would refuse them.
  const ledgerKey = await loadLedgerKey(config, { checkpointOrigin: config.CHECKPOINT_ORIGIN });
  const database = await openDatabase({
    url: config.DATABASE_URL,
    migrationUrl: config.MIGRATION_DATABASE_URL,
    dataDir: pgliteDir(config.DATA_DIR),
  });
  try {
    const result = await screenDue(database.db);
    if (result.movementsJudged > 0) await sequence(database.db, ledgerKey);
    if (json) console.log(JSON.stringify(result));
    else
      console.log(
        `due screening: ${result.movementsJudged} movements whose lag ended from ${result.judgedFrom?.toISOString() ?? 'the beginning'} to ${result.judgedUntil.toISOString()} judged, ${result.flagsRaised} flags raised (thresholds ${result.thresholdsVersion})`,
      );
    return 0;
  } finally {
    await database.close();
  }
}

try {
  process.exitCode = await main();
} catch (e) {
  console.error(`due screening failed: ${(e as Error).message}`);
  process.exitCode = 1;
}
