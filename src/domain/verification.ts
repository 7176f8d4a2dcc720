import type { JWK } from 'jose';
import type { Queryable } from '../db/client.js';
import { ApiError } from './errors.js';
import { presentLot } from './lots.js';
import { verifyQr } from './qr.js';

/** What anyone holding a QR code may learn: whether it is genuine and the lot's public status. */
export interface PublicVerification {
  genuine: boolean;
  reason?: string;
  kind?: 'lot' | 'movement';
  code?: string;
  form?: string;
  status?: string;
  flagged?: boolean;
}

export async function verifyPublicly(
  db: Queryable,
  keys: JWK[],
  token: string,
  baseUrl: string,
): Promise<PublicVerification> {
  try {
    const subject = await verifyQr(keys, token);
    if (subject.kind !== 'lot') return { genuine: true, kind: subject.kind, code: subject.code };
    const lot = await presentLot(db, subject.id, baseUrl);
    return {
      genuine: true,
      kind: 'lot',
      code: lot.code,
      form: lot.form,
      status: lot.status,
      flagged: lot.flags.some((f) => f.status === 'open' || f.status === 'escalated'),
    };
  } catch (err) {
    if (err instanceof ApiError && (err.code === 'invalid_qr' || err.code === 'not_found')) {
      return {
        genuine: false,
        reason: err.code === 'not_found' ? 'the lot it names is not in the ledger' : err.message,
      };
    }
    throw err;
  }
}
