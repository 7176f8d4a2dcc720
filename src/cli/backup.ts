import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadNodeConfig } from '../config.node.js';
import { openDatabase, pgliteDir } from '../db/node.js';
import { BackupError, isEmptyDir, takeSnapshot, writeBackup } from '../ops/backup.node.js';
import { requestSnapshot } from '../ops/backup-socket.node.js';

/**
 * npm run backup [-- --out DIR] [--no-keys] [--offline]
 * Thin shell over ops/backup.node.ts: asks the running server for a copy (ops/backup-socket.node.ts).
 */
const usage = `usage: npm run backup [-- --out DIR] [--no-keys] [--offline]

Backs up the embedded database (PGlite in DATA_DIR) into a new folder, by default
./backups/orotrace-<UTC time>: pgdata.tar.gz (the data folder, as PGlite dumps it), the key files
of DATA_DIR/keys (the ledger's signing key and the local token key) and manifest.json (the signed
head the backup holds, the count of events, the tarball's SHA-256).

The running server takes the copy itself, between two statements, through the socket
DATA_DIR/backup.sock: it keeps serving meanwhile, and the copy is never torn. With the server
stopped, --offline opens the data folder directly (never while a server runs on it: PGlite is
single-process).

THE FOLDER HOLDS THE PRIVATE KEYS AND EVERY RECORD: store it as you store secrets (encrypted, on
another machine). --no-keys leaves the keys out, for operators who back them up apart; keys given
in the environment (LEDGER_PRIVATE_JWK, JWT_PUBLIC_JWKS) are never in DATA_DIR and never in a backup.

PostgreSQL (DATABASE_URL) is backed up with pg_dump -Fc: see README, "Operations".

  --out DIR    the backup folder (must not exist, or be empty)
  --no-keys    leave the key files out
  --offline    the server is stopped: open the data folder directly
  -h, --help

Exit status: 0 done; 1 the copy failed; 2 bad options, or no server answered (without --offline).`;

const stamp = () =>
  new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

async function main(): Promise<number> {
  let values: { out?: string; 'no-keys'?: boolean; offline?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        out: { type: 'string' },
        'no-keys': { type: 'boolean' },
        offline: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n(npm run backup -- --help lists the options)`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const config = loadNodeConfig();
  if (config.DATABASE_URL) {
    console.error('DATABASE_URL is set: back PostgreSQL up with pg_dump -Fc (README, "Operations")');
    return 2;
  }
  const out = resolve(values.out ?? `backups/orotrace-${stamp()}`);
  if (!isEmptyDir(out)) {
    console.error(`${out} is not empty: give a new folder for the backup`);
    return 2;
  }
  let snapshot = await requestSnapshot(config.DATA_DIR);
  if (!snapshot) {
    if (!values.offline) {
      console.error(
        `no server answers on ${config.DATA_DIR}/backup.sock: start it (the copy is taken while it runs), or, with the server stopped, give --offline`,
      );
      return 2;
    }
    // Never a new, empty database taken for a backup (a DATA_DIR relative to another working
    // directory, a typo): the folder must already hold one.
    if (!existsSync(join(pgliteDir(config.DATA_DIR), 'PG_VERSION'))) {
      console.error(
        `${resolve(config.DATA_DIR)} holds no database (no pgdata/PG_VERSION): nothing to back up`,
      );
      return 2;
    }
    const database = await openDatabase({ dataDir: pgliteDir(config.DATA_DIR) });
    try {
      snapshot = await takeSnapshot(database);
    } finally {
      await database.close();
    }
  }
  const manifest = writeBackup(out, snapshot, { dataDir: config.DATA_DIR, withKeys: !values['no-keys'] });
  console.log(`backup written to ${out}`);
  console.log(
    `  ${manifest.events} events; signed head ${manifest.head ? `${manifest.head.treeSize} leaves, root ${manifest.head.rootHash}` : 'none yet'}; ${manifest.pgdata.bytes} bytes, sha256 ${manifest.pgdata.sha256}`,
  );
  if (manifest.keys.length > 0) {
    console.log(
      `  holds the private keys (${manifest.keys.join(', ')}): store it encrypted, as you store secrets`,
    );
  }
  if (config.LEDGER_PRIVATE_JWK) {
    console.log(
      '  the ledger key comes from LEDGER_PRIVATE_JWK: it is not in the backup; keep it with your secrets',
    );
  }
  return 0;
}

try {
  process.exitCode = await main();
} catch (e) {
  console.error(`backup failed: ${(e as Error).message}`);
  process.exitCode = e instanceof BackupError ? 2 : 1;
}
