import type { Db } from '../db/client.js';
import type { Principal } from '../domain/shared/principal.js';
import type { SigningKey } from '../keys/signing.js';
import type { TokenVerifier } from './auth.js';
import type { SequencingSchedule } from './sequencer.js';

/** What every request can reach: built once (Node) or per request (Workers), see app.ts. */
export interface Services {
  db: Db;
  verifyToken: TokenVerifier;
  /** What QR URLs and links start with, without a trailing slash. */
  baseUrl: string;
  /** The ledger's signing key (QR codes, tree heads); its public half is the JWKS. */
  ledgerKey: SigningKey;
  /**
   * What appends new events to the ledger after a successful write, off the request's path
   * (http/sequencer.ts); 'off' leaves sequencing to explicit calls (GET /v1/ledger/head and the
   * proof route sequence first; tests; the CLI). Absent means 'off'.
   */
  sequencing?: SequencingSchedule | 'off';
}

export interface AppEnv {
  Variables: {
    services: Services;
    principal: Principal;
  };
}
