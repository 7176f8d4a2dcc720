import type { JWK } from 'jose';
import type { Queryable } from '../../db/client.js';
import { publicMovementStatus } from '../inputs/movements.js';
import { isUnresolved } from '../screening/flags.js';
import { ApiError } from '../shared/errors.js';
import type { SubjectType } from '../shared/vocabulary.js';
import { presentLot } from './lots.js';
import { verifyQr } from './qr.js';

/** What anyone holding a QR code may learn: whether it is genuine and the lot's or movement's public status. */
export interface PublicVerification {
  genuine: boolean;
  reason?: string;
  kind?: SubjectType;
  code?: string;
  form?: string;
  /** A movement's controlled input (mercury, diesel, gasoline); never its quantity or parties. */
  input?: string;
  status?: string;
  flagged?: boolean;
}

export async function verifyPublicly(
  db: Queryable,
  keys: JWK[],
  token: string,
  baseUrl: string,
): Promise<PublicVerification> {
  let named = 'lot';
  try {
    const subject = await verifyQr(keys, token);
    named = subject.kind;
    if (subject.kind === 'movement') {
      return { genuine: true, kind: 'movement', ...(await publicMovementStatus(db, subject.id)) };
    }
    const lot = await presentLot(db, subject.id, baseUrl);
    return {
      genuine: true,
      kind: 'lot',
      code: lot.code,
      form: lot.form,
      status: lot.status,
      flagged: lot.flags.some((f) => isUnresolved(f.status)),
    };
  } catch (err) {
    if (err instanceof ApiError && (err.code === 'invalid_qr' || err.code === 'not_found')) {
      return {
        genuine: false,
        reason: err.code === 'not_found' ? `the ${named} it names is not in the ledger` : err.message,
      };
    }
    throw err;
  }
}
