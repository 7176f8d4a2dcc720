/**
 * The types a request's context is made of. A leaf of http/: it imports no other module of
 * http/, so auth.ts (which builds a TokenVerifier) and sequencer.ts (which runs a
 * SequencingSchedule) both import from here without a cycle.
 */

import type { Db } from '../db/client.js';
import type { WitnessPolicy } from '../domain/ledger/witnesses.js';
import type { QrFormat } from '../domain/lots/qr.js';
import type { Principal } from '../domain/shared/principal.js';
import type { SigningKey } from '../keys/signing.js';

/** Verifies a bearer token and names who sent it (http/auth.ts `createTokenVerifier`). */
export type TokenVerifier = (token: string) => Promise<Principal>;

/** Something that starts a sequencing run without waiting for it (http/sequencer.ts). */
export interface SequencingSchedule {
  schedule(): void;
}

/** What bounds a request's cost (config.ts BODY_LIMIT_BYTES…; http/limits.ts applies them). */
export interface RequestLimits {
  /** The largest request body, in bytes, of every route but the geometry uploads. */
  bodyBytes: number;
  /** The largest body of the routes that upload an area (zones, concessions). */
  geometryBodyBytes: number;
  /** Events one EPCIS capture document may carry (absent: domain/epcis/capture.ts defaultCaptureLimit). */
  epcisCaptureEvents?: number;
}

/** What every request can reach: built once (Node) or per request (Workers), see app.ts. */
export interface Services {
  db: Db;
  verifyToken: TokenVerifier;
  /** What QR URLs and links start with, without a trailing slash. */
  baseUrl: string;
  /** The GS1 Company Prefix of the lots' GIAIs and movements' GINCs; absent: GS1's demonstration prefix. */
  gs1CompanyPrefix?: string;
  /** Earlier company prefixes whose printed labels are still accepted (GS1_ACCEPTED_PREFIXES). */
  gs1AcceptedPrefixes?: readonly string[] | undefined;
  /** The form of the URL printed in QR codes (domain/lots/qr.ts); absent: compact. */
  qrFormat?: QrFormat;
  /** The domain of the QR codes' Digital Links; absent: baseUrl. */
  qrResolver?: string | undefined;
  /** The ledger's signing key (QR codes, tree heads); its public half is the JWKS. */
  ledgerKey: SigningKey;
  /** The witnesses whose cosignatures are accepted, and how many make a head final; absent: none. */
  witnesses?: WitnessPolicy;
  /**
   * What appends new events to the ledger after a successful write, off the request's path
   * (http/sequencer.ts); 'off' leaves sequencing to explicit calls (GET /v1/ledger/head and the
   * proof route sequence first; tests; the CLI). Absent means 'off'.
   */
  sequencing?: SequencingSchedule | 'off';
  /** Whom the public /v/ page tells a buyer to alert (config.ts PUBLIC_REPORT_CONTACT); absent: general words. */
  reportContact?: string;
  /** Absent: the defaults of config.ts (1 MiB, 8 MiB for geometry uploads). */
  limits?: RequestLimits;
}

export interface AppEnv {
  Variables: {
    services: Services;
    principal: Principal;
    /** Set by a dry run (http/dry-run.ts): the request wrote nothing, so nothing is sequenced. */
    dryRun?: boolean;
    /** The request's id (http/logging.ts): X-Request-Id, a problem's `requestId`, its log lines. */
    requestId: string;
    /** Reports an unexpected error with the request's id (the log's error line; app.ts). */
    reportError: (err: unknown) => void;
  };
}
