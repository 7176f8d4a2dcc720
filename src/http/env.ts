import type { Db } from '../db/client.js';
import type { Principal } from '../domain/principal.js';
import type { SigningKey } from '../keys/signing.js';
import type { TokenVerifier } from './auth.js';

/** What every request can reach: built once (Node) or per request (Workers), see app.ts. */
export interface Services {
  db: Db;
  verifyToken: TokenVerifier;
  /** What QR URLs and links start with, without a trailing slash. */
  baseUrl: string;
  /** The ledger's signing key (QR codes, tree heads); its public half is the JWKS. */
  ledgerKey: SigningKey;
}

export interface AppEnv {
  Variables: {
    services: Services;
    principal: Principal;
  };
}
