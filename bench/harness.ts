import { createApp } from '../src/app.js';
import { openDatabase } from '../src/db/node.js';
import { installWriteKey } from '../src/domain/ledger/write-signature.js';
import type { Role } from '../src/domain/shared/vocabulary.js';
import { createTokenVerifier } from '../src/http/auth.js';
import { generateJwk } from '../src/keys/local.js';
import { signingKeyFromJwk } from '../src/keys/signing.js';
import { mintToken } from '../src/keys/tokens.js';

/** The app over a fresh database (PostgreSQL when DATABASE_URL is set, else in-memory PGlite). */
export async function benchApp() {
  const database = await openDatabase(
    process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : { dataDir: 'memory://' },
  );
  const authKey = await signingKeyFromJwk(await generateJwk('bench-auth'));
  const ledgerKey = await signingKeyFromJwk(await generateJwk('bench-ledger'));
  // Events written outside a request (the ledger suite's bulk writes) are signed with it too.
  installWriteKey(ledgerKey);
  const opts = { issuer: 'bench', audience: 'orotrace' };
  const verifyToken = createTokenVerifier({ keys: { jwks: { keys: [authKey.publicJwk] } }, ...opts });
  const app = createApp({
    services: () => ({ db: database.db, verifyToken, baseUrl: 'http://bench', ledgerKey }),
  });
  const token = (role: Role, binding: { actor?: string; checkpoint?: string } = {}) =>
    mintToken(authKey, opts, { role, ...binding });
  const call = async (method: string, path: string, bearer: string, body?: unknown) => {
    const res = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  return { database, db: database.db, app, token, call, ledgerKey };
}

export type Bench = Awaited<ReturnType<typeof benchApp>>;

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await fn();
  return { ms: performance.now() - start, result };
}

export interface Row {
  figure: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
}

export function printTable(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  const cols: (keyof Row)[] = ['figure', 'value', 'baseline', 'ratio', 'target'];
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(line(cols));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(cols.map((c) => r[c])));
}

/** The body of a new miner (and refiner) with a fresh tax id, for POST /v1/actors. */
export const benchMinerBody = (name = 'Bench miner') => ({
  taxId: `2${String(Math.random()).slice(2, 12).padEnd(10, '0')}`,
  name,
  kinds: ['miner', 'refiner'],
});

/** The body of a titled mining concession of ~1,400 ha held by `holderId`, for POST /v1/concessions. */
export const benchConcessionBody = (holderId: unknown, name = 'Bench') => ({
  code: `BENCH-${String(holderId)}`,
  name,
  kind: 'mining',
  status: 'titled',
  holderId,
  // Every run files the same ground again: the registry accepts it only under an exception.
  overlapException: { legalBasis: 'benchmark: the same ground filed by every run' },
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [-70.12, -12.96],
        [-70.08, -12.96],
        [-70.08, -12.93],
        [-70.12, -12.93],
        [-70.12, -12.96],
      ],
    ],
  },
});

/** A miner holding a mining concession, registered through the API: what lots need to exist. */
export async function benchMiner(b: Bench): Promise<{ actorId: string; concessionId: string }> {
  const admin = await b.token('admin');
  const miner = await b.call('POST', '/v1/actors', admin, benchMinerBody());
  const concession = await b.call('POST', '/v1/concessions', admin, benchConcessionBody(miner.id));
  return { actorId: String(miner.id), concessionId: String(concession.id) };
}
