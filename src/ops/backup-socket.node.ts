import { chmodSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { Database } from '../db/node.js';
import { BackupError, type SnapshotInfo, snapshotInfoSchema, takeSnapshot } from './backup.node.js';

/**
 * How `npm run backup` asks the running server for a copy of its embedded database: HTTP over a
 * Unix socket in DATA_DIR. PGlite is one process's database; a second process opening the data
 * folder (or copying it file by file) while the server writes would corrupt it or copy it torn,
 * so the copy is made by the server itself, between two statements. A socket in the data folder
 * (0700) is reachable only by the user who may read the keys and the database files anyway: it
 * needs no token, and no dump of the whole database is ever offered on the public port.
 */

const backupSocketPath = (dataDir: string) => join(dataDir, 'backup.sock');

/** The most a Unix socket path may hold on Linux (sun_path, 108 bytes with its NUL), less margin. */
const maxSocketPath = 100;

const infoHeader = 'orotrace-snapshot';

export interface BackupSocket {
  close(): Promise<void>;
}

/** Serves GET /backup on the socket; one copy at a time (a second asker gets 409). */
export function serveBackups(
  dataDir: string,
  database: Database,
  log: (line: string) => void,
): BackupSocket | undefined {
  const path = backupSocketPath(dataDir);
  if (Buffer.byteLength(path) > maxSocketPath) {
    log(
      `backups: ${path} is too long for a Unix socket; \`npm run backup\` cannot reach this server (use a shorter DATA_DIR)`,
    );
    return undefined;
  }
  let busy = false;
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/backup') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('GET /backup\n');
      return;
    }
    if (busy) {
      res.writeHead(409, { 'content-type': 'text/plain' }).end('a backup is already being taken\n');
      return;
    }
    busy = true;
    const started = performance.now();
    takeSnapshot(database)
      .then(({ info, tarball }) => {
        log(
          `backups: copy taken in ${Math.round(performance.now() - started)} ms, ${tarball.byteLength} bytes, head ${info.head?.treeSize ?? 'none'}`,
        );
        res
          .writeHead(200, {
            'content-type': 'application/gzip',
            'content-length': String(tarball.byteLength),
            [infoHeader]: Buffer.from(JSON.stringify(info)).toString('base64url'),
          })
          .end(tarball);
      })
      .catch((err: unknown) => {
        log(`backups: copy failed: ${err instanceof Error ? err.message : String(err)}`);
        res.writeHead(500, { 'content-type': 'text/plain' }).end('the copy failed: see the server log\n');
      })
      .finally(() => {
        busy = false;
      });
  });
  // A socket left by a server that was killed would refuse the listen: this server owns DATA_DIR.
  rmSync(path, { force: true });
  server.on('error', (err) => log(`backups: the socket ${path} failed: ${err.message}`));
  server.listen(path, () => chmodSync(path, 0o600));
  return {
    close: () =>
      new Promise<void>((resolve) => {
        // A copy being taken finishes first; then the socket file goes.
        server.close(() => {
          rmSync(path, { force: true });
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

/**
 * Asks the server running on `dataDir` for a copy; `undefined` when none listens there (no
 * socket, or one a killed server left behind).
 */
export function requestSnapshot(
  dataDir: string,
): Promise<{ info: SnapshotInfo; tarball: Uint8Array } | undefined> {
  const socketPath = backupSocketPath(dataDir);
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path: '/backup', method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        if (res.statusCode !== 200) {
          reject(
            new BackupError(`the server refused the copy (${res.statusCode}): ${body.toString().trim()}`),
          );
          return;
        }
        const header = res.headers[infoHeader];
        let described: unknown;
        try {
          described =
            typeof header === 'string' ? JSON.parse(Buffer.from(header, 'base64url').toString()) : undefined;
        } catch {
          described = undefined;
        }
        const info = snapshotInfoSchema.safeParse(described);
        if (!info.success) {
          reject(new BackupError('the server answered without describing its copy'));
          return;
        }
        if (body.byteLength !== Number(res.headers['content-length'])) {
          reject(new BackupError('the copy arrived cut short'));
          return;
        }
        resolve({ info: info.data, tarball: new Uint8Array(body) });
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') resolve(undefined);
      else reject(err);
    });
    req.end();
  });
}

/** True when a server listens on `dataDir`'s socket (a socket file alone may be a killed server's). */
export function serverListening(dataDir: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(backupSocketPath(dataDir));
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
