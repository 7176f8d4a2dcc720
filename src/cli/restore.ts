import { existsSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadNodeConfig } from '../config.node.js';
import { BackupError, isEmptyDir, restoreBackup } from '../ops/backup.node.js';
import { serverListening } from '../ops/backup-socket.node.js';

/**
 * npm run restore -- BACKUP_DIR [--force]
 * Thin shell over ops/backup.node.ts.
 */
const usage = `usage: npm run restore -- BACKUP_DIR [--force]

Restores a backup of \`npm run backup\` into DATA_DIR (default ./data), with the server stopped:
checks the tarball against the manifest's SHA-256, writes the key files the backup holds into
DATA_DIR/keys and the database into DATA_DIR/pgdata, opens it once (applying the migrations of
this version) and checks that it holds the manifest's signed head. Then start the server and
run \`npm run verify\`.

DATA_DIR must be empty or absent. --force moves a non-empty one aside first, whole, to
DATA_DIR.before-restore-<UTC time>: nothing is deleted.

A restored ledger ends at the backup's head: witnesses and clients that saw a later head will
report a rollback. That is by design; README, "Operations", says what to publish.

  --force      move a non-empty DATA_DIR aside instead of refusing
  -h, --help

Exit status: 0 restored; 1 the restore failed; 2 bad options, a non-empty DATA_DIR without
--force, a running server, or a damaged backup.`;

const stamp = () =>
  new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

async function main(): Promise<number> {
  let values: { force?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      options: { force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n(npm run restore -- --help lists the options)`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const [from, ...extra] = positionals;
  if (!from || extra.length > 0) {
    console.error(`give exactly one backup folder\n${usage}`);
    return 2;
  }
  const config = loadNodeConfig();
  if (config.DATABASE_URL) {
    console.error('DATABASE_URL is set: restore PostgreSQL with pg_restore (README, "Operations")');
    return 2;
  }
  const dataDir = resolve(config.DATA_DIR);
  const empty = isEmptyDir(dataDir);
  if (!empty) {
    // Checked before --force: a server running on the folder would go on writing into the old one.
    if (await serverListening(dataDir)) {
      console.error(`a server is running on ${dataDir}: stop it first`);
      return 2;
    }
    if (!values.force) {
      console.error(
        `${dataDir} is not empty: restore into an empty folder, or give --force to move it aside`,
      );
      return 2;
    }
  }
  // The backup is restored into a folder beside DATA_DIR and checked there (digest, head,
  // events); only one that restored and verified takes DATA_DIR's place. A damaged backup leaves
  // the previous folder where it was, so a service restarted meanwhile finds its data, not an
  // empty folder on which it would start a new ledger.
  const staging = `${dataDir}.restoring-${stamp()}`;
  let restored: Awaited<ReturnType<typeof restoreBackup>>;
  try {
    restored = await restoreBackup(resolve(from), staging);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  if (!empty) {
    const aside = `${dataDir}.before-restore-${stamp()}`;
    try {
      renameSync(dataDir, aside);
    } catch (e) {
      rmSync(staging, { recursive: true, force: true });
      // A mount point (a container's volume) cannot be renamed: its contents must be moved by hand.
      console.error(
        `cannot move ${dataDir} aside (${(e as Error).message}); if it is a mount point, move its contents elsewhere and restore into it empty`,
      );
      return 2;
    }
    console.log(`moved the previous ${dataDir} aside to ${aside}`);
    try {
      renameSync(staging, dataDir);
    } catch (e) {
      renameSync(aside, dataDir);
      rmSync(staging, { recursive: true, force: true });
      throw new BackupError(
        `cannot put the restored folder in place (${(e as Error).message}); ${dataDir} is as it was`,
      );
    }
  } else {
    try {
      if (existsSync(dataDir)) rmdirSync(dataDir);
      renameSync(staging, dataDir);
    } catch {
      // An empty mount point cannot be replaced: the verified backup is restored into it instead.
      rmSync(staging, { recursive: true, force: true });
      try {
        restored = await restoreBackup(resolve(from), dataDir);
      } catch (e) {
        for (const entry of readdirSync(dataDir))
          rmSync(join(dataDir, entry), { recursive: true, force: true });
        throw e;
      }
    }
  }
  const { manifest, head } = restored;
  console.log(`restored ${resolve(from)} (taken ${manifest.createdAt}) into ${dataDir}`);
  console.log(
    `  ${restored.events} events; latest signed head ${head ? `${head.treeSize} leaves, root ${head.rootHash}, signed ${head.timestamp}` : 'none'}`,
  );
  console.log(
    `  keys restored: ${manifest.keys.length > 0 ? manifest.keys.join(', ') : 'none (give them as before)'}`,
  );
  console.log(
    '  next: start the server, run `npm run verify`, and publish the restored head (README, "Operations")',
  );
  return 0;
}

try {
  process.exitCode = await main();
} catch (e) {
  console.error(`restore failed: ${(e as Error).message}`);
  process.exitCode = e instanceof BackupError ? 2 : 1;
}
