import { compactVerify, decodeProtectedHeader, type JWK } from 'jose';
import { importedPublicKey } from '../ledger/public-keys.js';
import { type LedgerSigner, signCompact } from '../ledger/signer.js';
import { ApiError } from '../shared/errors.js';
import type { SubjectType } from '../shared/vocabulary.js';

/** What a QR code names: a lot or a movement, by id and human code — nothing private. */
export interface QrSubject {
  kind: SubjectType;
  id: string;
  code: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The compact JWS printed in a QR code (ES256, key id in the header). The payload uses short
 * member names because every byte makes the QR denser: {"t":"lot","i":<id>,"c":<code>}.
 */
export async function signQr(key: LedgerSigner, s: QrSubject): Promise<string> {
  const payload = JSON.stringify({ t: s.kind, i: s.id, c: s.code });
  return signCompact(key, { alg: 'ES256', kid: key.kid }, encoder.encode(payload));
}

export const qrUrl = (baseUrl: string, jws: string): string => `${baseUrl}/v/${jws}`;

/** Accepts the bare JWS or the whole `<base>/v/<jws>` URL, as scanners may send either. */
export function jwsFromScan(token: string): string {
  const trimmed = token.trim();
  const m = /\/v\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\/?(?:[?#].*)?$/.exec(trimmed);
  return m?.[1] ?? trimmed;
}

const invalid = (why: string) =>
  new ApiError('invalid_qr', `QR token is not genuine: ${why}`, {
    errors: [{ field: 'token', message: why }],
  });

/** Verifies a scanned QR token against the ledger's public keys; forged, truncated or foreign ones fail. */
export async function verifyQr(publicKeys: JWK[], token: string): Promise<QrSubject> {
  const jws = jwsFromScan(token);
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(jws)) throw invalid('malformed or truncated');
  let kid: string | undefined;
  try {
    const header = decodeProtectedHeader(jws);
    if (header.alg !== 'ES256') throw invalid(`algorithm ${String(header.alg)} is not the ledger's`);
    kid = header.kid;
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw invalid('malformed or truncated');
  }
  const jwk = publicKeys.find((k) => k.kid === kid);
  if (!jwk) throw invalid('signed by a key that is not the ledger’s');
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(jws, await importedPublicKey(jwk), { algorithms: ['ES256'] }));
  } catch {
    throw invalid('signature does not verify');
  }
  try {
    const p = JSON.parse(decoder.decode(payload)) as { t?: unknown; i?: unknown; c?: unknown };
    if ((p.t === 'lot' || p.t === 'movement') && typeof p.i === 'string' && typeof p.c === 'string') {
      return { kind: p.t, id: p.i, code: p.c };
    }
  } catch {}
  throw invalid('payload does not name a lot or a movement');
}
