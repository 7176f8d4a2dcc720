import { loadNodeConfig } from '../config.node.js';
import { openDatabase } from '../db/node.js';

/**
 * [MIGRATION_DATABASE_URL=postgres://owner@...] DATABASE_URL=postgres://... npm run db:migrate
 * Applies the drizzle migrations (drizzle/) to a PostgreSQL database. The Worker cannot run them
 * (the migrator reads its journal with node:fs), so deployments to Workers run this first; the
 * Node server and the embedded PGlite migrate on their own at start.
 */
const config = loadNodeConfig();
if (!config.DATABASE_URL) {
  console.error('DATABASE_URL is not set: nothing to migrate (the embedded PGlite migrates itself at start)');
  process.exit(2);
}
const started = performance.now();
// openDatabase applies every pending migration before it returns the handle.
const database = await openDatabase({
  url: config.DATABASE_URL,
  migrationUrl: config.MIGRATION_DATABASE_URL,
});
await database.close();
console.error(`migrations applied in ${Math.round(performance.now() - started)} ms`);
