import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, pgliteDir, privateDir } from '../../src/db/node.js';

let template: Promise<string> | undefined;

/**
 * Makes `dataDir` a DATA_DIR whose embedded database is already created and migrated, as after a
 * first start, with no keys (the CLI or server started on it makes its own, as on a fresh install).
 *
 * For the tests that start a CLI or the built server on a DATA_DIR of their own and are about what
 * it does next, not about a first start (test/build/built-server.test.ts and CI's production step
 * keep that): creating a PGlite with PostGIS (initdb, the extension, every migration) costs ~3× what
 * opening one costs (~12 s against ~4 s on an idle machine, 35 s against 10 s on a busy one). The
 * database is created once per test run, by the first caller, and copied for each one after.
 */
export async function migratedDataDir(dataDir: string): Promise<string> {
  template ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orotrace-template-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const database = await openDatabase({ dataDir: pgliteDir(dir) });
    await database.close();
    return dir;
  })();
  const from = await template;
  privateDir(dataDir);
  cpSync(pgliteDir(from), pgliteDir(dataDir), { recursive: true });
  return dataDir;
}
