import type { NodeConfig } from './config.js';
import { type Database, openDatabase, pgliteDir, privateDir } from './db/node.js';
import { sequence } from './domain/ledger/store.js';
import { witnessPolicy } from './domain/ledger/witnesses.js';
import { installWriteKey } from './domain/ledger/write-signature.js';
import { createTokenVerifier } from './http/auth.js';
import type { Services } from './http/env.js';
import { createSequenceRunner, type SequenceRunner } from './http/sequencer.js';
import { loadOrCreateKey } from './keys/local.js';
import { withNativeSigning } from './keys/native-signing.node.js';
import { type SigningKey, signingKeyFromJwk } from './keys/signing.js';

export interface NodeRuntime {
  database: Database;
  services: Services;
  /** The local identity provider's key, when tokens are verified against it (no JWKS_URL). */
  authKey: SigningKey | undefined;
  /** The process's ledger sequencer (also `services.sequencing`), awaited at shutdown. */
  sequencer: SequenceRunner;
  close(): Promise<void>;
}

/**
 * The ledger key (LEDGER_PRIVATE_JWK, else the key file in DATA_DIR/keys, made on first start),
 * installed as this process's write key: every event it writes is signed with it, and the
 * sequencer accepts no event signed with another. A CLI that writes events (the importer) must
 * therefore run with the server's key.
 */
export async function loadLedgerKey(
  config: NodeConfig,
  opts: { checkpointOrigin?: string } = {},
): Promise<SigningKey> {
  const key = withNativeSigning(
    config.LEDGER_PRIVATE_JWK
      ? await signingKeyFromJwk(config.LEDGER_PRIVATE_JWK, 'LEDGER_PRIVATE_JWK', opts)
      : await loadOrCreateKey(config.DATA_DIR, 'ledger', opts),
  );
  installWriteKey(key);
  return key;
}

/**
 * Everything the Node entry and the CLIs need: the database (migrated), the ledger key and the
 * token verifier. The ledger key is LEDGER_PRIVATE_JWK when set, else the key file generated in
 * DATA_DIR/keys on first start. Without JWKS_URL or JWT_PUBLIC_JWKS, tokens are verified against
 * the local key pair generated in DATA_DIR (minted by `npm run token`).
 */
export async function startNodeRuntime(config: NodeConfig): Promise<NodeRuntime> {
  privateDir(config.DATA_DIR);
  const checkpointOrigin = config.CHECKPOINT_ORIGIN;
  const [database, ledgerKey] = await Promise.all([
    openDatabase({
      url: config.DATABASE_URL,
      migrationUrl: config.MIGRATION_DATABASE_URL,
      dataDir: pgliteDir(config.DATA_DIR),
      statementTimeoutMs: config.STATEMENT_TIMEOUT_MS,
    }),
    loadLedgerKey(config, { checkpointOrigin }),
  ]);
  const issuer = config.JWT_ISSUER;
  const audience = config.JWT_AUDIENCE;
  const policy = { maxLifetimeSeconds: config.TOKEN_MAX_LIFETIME, clockSkewSeconds: config.TOKEN_CLOCK_SKEW };
  let authKey: SigningKey | undefined;
  let verifyToken: Services['verifyToken'];
  if (config.tokenKeys) {
    verifyToken = createTokenVerifier({
      keys: config.tokenKeys,
      issuer,
      audience,
      policy,
      claims: config.claims,
    });
  } else {
    authKey = await loadOrCreateKey(config.DATA_DIR, 'auth');
    verifyToken = createTokenVerifier({
      keys: { jwks: { keys: [authKey.publicJwk] } },
      issuer,
      audience,
      policy,
    });
  }
  // One runner per process: writes schedule it and answer at once (http/sequencer.ts).
  const sequencer = createSequenceRunner(() => sequence(database.db, ledgerKey));
  return {
    database,
    authKey,
    sequencer,
    services: {
      db: database.db,
      verifyToken,
      baseUrl: config.BASE_URL,
      gs1CompanyPrefix: config.GS1_COMPANY_PREFIX,
      gs1AcceptedPrefixes: config.GS1_ACCEPTED_PREFIXES,
      qrFormat: config.QR_FORMAT,
      qrResolver: config.QR_RESOLVER?.replace(/\/+$/, ''),
      ledgerKey,
      witnesses: witnessPolicy(config.WITNESS_KEYS, config.WITNESS_QUORUM),
      sequencing: sequencer,
      limits: {
        bodyBytes: config.BODY_LIMIT_BYTES,
        geometryBodyBytes: config.GEOMETRY_BODY_LIMIT_BYTES,
        epcisCaptureEvents: config.EPCIS_CAPTURE_LIMIT,
      },
      ...(config.PUBLIC_REPORT_CONTACT ? { reportContact: config.PUBLIC_REPORT_CONTACT } : {}),
    },
    close: async () => {
      // A run in flight finishes its batch (and signs its head) before the database closes.
      await sequencer.idle();
      await database.close();
    },
  };
}
