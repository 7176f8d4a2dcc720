import type { JWK } from 'jose';
import type { Queryable } from '../../db/client.js';
import { publicMovementStatus } from '../inputs/movements.js';
import { flagsBySubject, isUnresolved, riskLevelOf } from '../screening/flags.js';
import { ApiError } from '../shared/errors.js';
import { acceptedPrefixesOf } from '../shared/gs1.js';
import type { RiskLevel, SubjectType } from '../shared/vocabulary.js';
import { presentLot } from './lots.js';
import { type QrLinks, verifyQr } from './qr.js';

/**
 * Why a code was refused: `forged` when its signature fails, it is truncated or signed by a key
 * that is not the ledger's (made or altered by someone else); `unknown` when the signature holds
 * but the ledger has no such lot or movement.
 */
type PublicRefusal = 'forged' | 'unknown';

/** What anyone holding a QR code may learn: whether it is genuine and the lot's or movement's public status. */
export interface PublicVerification {
  genuine: boolean;
  reason?: string;
  /** A refused code's kind of fault, for words in the reader's language (reason stays in English). */
  refusal?: PublicRefusal;
  kind?: SubjectType;
  code?: string;
  form?: string;
  /** A movement's controlled input (mercury, diesel, gasoline); never its quantity or parties. */
  input?: string;
  status?: string;
  flagged?: boolean;
  /**
   * The highest severity among its unresolved flags (none when clean): what tells a buyer to
   * walk away (high, critical) or to ask first (low, medium). Never which rule or its evidence.
   */
  riskLevel?: RiskLevel;
}

export async function verifyPublicly(
  db: Queryable,
  keys: JWK[],
  token: string,
  links: QrLinks,
): Promise<PublicVerification> {
  let named = 'lot';
  try {
    const subject = await verifyQr(keys, token, acceptedPrefixesOf(links));
    named = subject.kind;
    if (subject.kind === 'movement') {
      const status = await publicMovementStatus(db, subject.id);
      const own = (await flagsBySubject(db, 'movement', [subject.id])).get(subject.id) ?? [];
      return { genuine: true, kind: 'movement', ...status, riskLevel: riskLevelOf(own) };
    }
    // The public page shows a risk level, never a flag's evidence.
    const lot = await presentLot(db, subject.id, links, undefined);
    return {
      genuine: true,
      kind: 'lot',
      code: lot.code,
      form: lot.form,
      status: lot.status,
      flagged: lot.flags.some((f) => isUnresolved(f.status)),
      riskLevel: lot.riskLevel,
    };
  } catch (err) {
    if (err instanceof ApiError && (err.code === 'invalid_qr' || err.code === 'not_found')) {
      return err.code === 'not_found'
        ? { genuine: false, reason: `the ${named} it names is not in the ledger`, refusal: 'unknown' }
        : { genuine: false, reason: err.message, refusal: 'forged' };
    }
    throw err;
  }
}
