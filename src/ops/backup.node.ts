import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf } from '../db/client.js';
import { type Database, openDatabase, pgliteDir, privateDir } from '../db/node.js';
import { signedHeadSchema } from '../domain/ledger/schemas.js';
import { headAt, latestHead } from '../domain/ledger/store.js';

/**
 * Backups of the embedded database (PGlite): a folder holding the data folder as PGlite dumps it
 * (pgdata.tar.gz, consistent though taken while the server writes: see `dumpDataDir` in
 * db/node.ts), the key files of DATA_DIR/keys unless left out, and manifest.json, which names
 * the signed head the backup is known to hold and the tarball's SHA-256. The folder holds the
 * private keys and every record: it is kept as secrets are (0700/0600 here, and encrypted where
 * it is stored). PostgreSQL is backed up with its own tools (README, "Operations").
 */

const backupFormat = 'orotrace-backup/1';
const tarballFile = 'pgdata.tar.gz';
const keyNames = ['ledger', 'auth'] as const;
type KeyName = (typeof keyNames)[number];
const keyFile = (name: KeyName) => `${name}.private.jwk.json`;

/** What the server says of the copy it took: when, and what the ledger held at that time. */
export const snapshotInfoSchema = z.object({
  createdAt: z.string(),
  /** The latest signed head when the copy began: every event it covers is in the copy. */
  head: signedHeadSchema.nullable(),
  /** Events stored when the copy began (sequenced or not): the copy holds at least these. */
  events: z.number().int().min(0),
});
export type SnapshotInfo = z.infer<typeof snapshotInfoSchema>;

const manifestSchema = snapshotInfoSchema.extend({
  format: z.literal(backupFormat),
  database: z.literal('pglite'),
  pgdata: z.object({
    file: z.literal(tarballFile),
    bytes: z.number().int().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  /** The key files the folder holds (keys/NAME.private.jwk.json). */
  keys: z.array(z.enum(keyNames)),
});
export type BackupManifest = z.infer<typeof manifestSchema>;

/** A backup that cannot be taken, read or restored, with the reason in words. */
export class BackupError extends Error {}

/** Takes the copy: the head and the count first, so the copy holds at least what they say. */
export async function takeSnapshot(database: Database): Promise<{ info: SnapshotInfo; tarball: Uint8Array }> {
  if (!database.dumpDataDir) {
    throw new BackupError('the database is PostgreSQL: back it up with pg_dump (README, "Operations")');
  }
  const createdAt = new Date().toISOString();
  const head = await latestHead(database.db);
  const [count] = rowsOf<{ n: string | number }>(
    await database.db.execute(sql`SELECT count(*) AS n FROM events`),
  );
  const blob = await database.dumpDataDir();
  const info: SnapshotInfo = {
    createdAt,
    head: head
      ? {
          treeSize: head.treeSize,
          rootHash: head.rootHash,
          timestamp: head.timestamp,
          keyId: head.keyId,
          signature: head.signature,
        }
      : null,
    events: Number(count?.n ?? 0),
  };
  return { info, tarball: new Uint8Array(await blob.arrayBuffer()) };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** True when the folder does not exist or holds nothing. */
export function isEmptyDir(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

/**
 * Writes the backup folder `out` (which must not hold anything yet): the tarball, the key files
 * of `dataDir`/keys unless `withKeys` is false, and the manifest last, so a folder without a
 * manifest is a backup that did not finish.
 */
export function writeBackup(
  out: string,
  snapshot: { info: SnapshotInfo; tarball: Uint8Array },
  opts: { dataDir: string; withKeys: boolean },
): BackupManifest {
  if (!isEmptyDir(out)) throw new BackupError(`${out} is not empty: give a new folder for the backup`);
  privateDir(out);
  writeFileSync(join(out, tarballFile), snapshot.tarball, { mode: 0o600 });
  const keys: KeyName[] = [];
  if (opts.withKeys) {
    for (const name of keyNames) {
      const from = join(opts.dataDir, 'keys', keyFile(name));
      if (!existsSync(from)) continue;
      privateDir(join(out, 'keys'));
      writeFileSync(join(out, 'keys', keyFile(name)), readFileSync(from), { mode: 0o600 });
      keys.push(name);
    }
  }
  const manifest: BackupManifest = {
    format: backupFormat,
    database: 'pglite',
    ...snapshot.info,
    pgdata: { file: tarballFile, bytes: snapshot.tarball.byteLength, sha256: sha256(snapshot.tarball) },
    keys,
  };
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  return manifest;
}

/** Reads a backup folder and checks the tarball against the manifest's digest. */
function readBackup(dir: string): { manifest: BackupManifest; tarball: Uint8Array<ArrayBuffer> } {
  const manifestPath = join(dir, 'manifest.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (e) {
    throw new BackupError(
      `cannot read ${manifestPath} (${(e as Error).message}): not a backup, or one that did not finish`,
    );
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new BackupError(`${manifestPath} is not an ${backupFormat} manifest: ${issues}`);
  }
  const manifest = parsed.data;
  const tarball = new Uint8Array(readFileSync(join(dir, manifest.pgdata.file)));
  if (tarball.byteLength !== manifest.pgdata.bytes || sha256(tarball) !== manifest.pgdata.sha256) {
    throw new BackupError(
      `${join(dir, manifest.pgdata.file)} does not match the manifest's SHA-256: damaged`,
    );
  }
  for (const name of manifest.keys) {
    if (!existsSync(join(dir, 'keys', keyFile(name)))) {
      throw new BackupError(`the manifest lists the ${name} key, but keys/${keyFile(name)} is missing`);
    }
  }
  return { manifest, tarball };
}

/**
 * Restores a backup into `dataDir`, which must be empty (the CLI moves a previous one aside):
 * the key files first, then the data folder, opened once (which applies any migration newer
 * than the backup) and checked to hold the manifest's head, same root, and at least its events.
 */
export async function restoreBackup(
  backupDir: string,
  dataDir: string,
): Promise<{ manifest: BackupManifest; head: SnapshotInfo['head']; events: number }> {
  const { manifest, tarball } = readBackup(backupDir);
  if (!isEmptyDir(dataDir)) throw new BackupError(`${dataDir} is not empty`);
  privateDir(dataDir);
  if (manifest.keys.length > 0) privateDir(join(dataDir, 'keys'));
  for (const name of manifest.keys) {
    const to = join(dataDir, 'keys', keyFile(name));
    writeFileSync(to, readFileSync(join(backupDir, 'keys', keyFile(name))), { mode: 0o600, flag: 'wx' });
    chmodSync(to, 0o600);
  }
  const database = await openDatabase({
    dataDir: pgliteDir(dataDir),
    loadDataDir: new Blob([tarball], { type: 'application/x-gzip' }),
  });
  try {
    const [count] = rowsOf<{ n: string | number }>(
      await database.db.execute(sql`SELECT count(*) AS n FROM events`),
    );
    const events = Number(count?.n ?? 0);
    if (manifest.head) {
      const held = await headAt(database.db, manifest.head.treeSize);
      if (!held || held.rootHash !== manifest.head.rootHash) {
        throw new BackupError(
          `the restored database does not hold the manifest's head (${manifest.head.treeSize} leaves, root ${manifest.head.rootHash})`,
        );
      }
    }
    if (events < manifest.events) {
      throw new BackupError(`the restored database holds ${events} events, the manifest ${manifest.events}`);
    }
    const latest = await latestHead(database.db);
    const head = latest
      ? {
          treeSize: latest.treeSize,
          rootHash: latest.rootHash,
          timestamp: latest.timestamp,
          keyId: latest.keyId,
          signature: latest.signature,
        }
      : null;
    return { manifest, head, events };
  } finally {
    await database.close();
  }
}
