/**
 * A QR code is verified on the device, before anything else and with or without signal, against
 * the ledger's public keys (JWKS) kept on the device: the same `verifyQr` the server runs. The
 * keys are refreshed whenever the device is online; a key rotation reaches the device with them.
 */
import type { JWK } from 'jose';
import { type QrSubject, verifyQr } from '../../domain/lots/qr.js';
import { ApiError } from '../../domain/shared/errors.js';
import { isOnline } from '../shared/reachability.js';
import { getFact, putFact } from './store.js';

const keysScope = 'ledger';

/** The keys kept on the device; fetched first when there are none and the device is online. */
export async function ledgerKeys(): Promise<JWK[] | undefined> {
  const kept = await getFact('jwks', keysScope);
  if (kept?.keys.length) return kept.keys;
  return (await refreshLedgerKeys()) ?? undefined;
}

/** Fetches the keys (the service worker also keeps the last answer); null when offline. */
export async function refreshLedgerKeys(): Promise<JWK[] | null> {
  if (!isOnline()) return null;
  try {
    const res = await fetch('/.well-known/jwks.json', { headers: { accept: 'application/json' } });
    if (!res.ok) return null;
    const { keys } = (await res.json()) as { keys: JWK[] };
    if (!Array.isArray(keys) || keys.length === 0) return null;
    await putFact('jwks', keysScope, { keys, fetchedAt: new Date().toISOString() });
    return keys;
  } catch {
    return null;
  }
}

export type WhyRefused = 'malformed' | 'foreignKey' | 'signature' | 'payload';

export type Verification =
  | { ok: true; subject: QrSubject; token: string }
  | { ok: false; why: WhyRefused }
  | { ok: false; why: 'noKeys' };

/**
 * Whether typed text is a QR's content rather than a printed code: a bare token (three base64url
 * parts), a compact link holding /v/, or a GS1 Digital Link of a lot (/8004/…) or movement
 * (/401/…) carrying its signature as `jws=` — the forms qr.ts writes.
 */
export const looksLikeQr = (text: string): boolean =>
  /\/v\//.test(text) ||
  /^[\w-]+\.[\w-]+\.[\w-]+$/.test(text) ||
  /^https?:\/\/[^\s]*\/(8004|401)\/[^/?#\s]+\?([^#\s]*&)?jws=/i.test(text);

/** Verifies what the camera or the officer read: a QR URL (compact or Digital Link) or a bare JWS. */
export async function verifyCode(text: string): Promise<Verification> {
  const keys = await ledgerKeys();
  if (!keys) return { ok: false, why: 'noKeys' };
  const first = await verifyWith(keys, text.trim());
  // A key the device does not know may be a new key of the ledger (a rotation): ask once.
  if (!first.ok && first.why === 'foreignKey' && isOnline()) {
    const fresh = await refreshLedgerKeys();
    if (fresh) return verifyWith(fresh, text.trim());
  }
  return first;
}

async function verifyWith(keys: JWK[], token: string): Promise<Verification> {
  try {
    return { ok: true, subject: await verifyQr(keys, token), token };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const reason = err.errors?.[0]?.message ?? '';
    const why: WhyRefused = /key|algorithm/.test(reason)
      ? 'foreignKey'
      : /signature/.test(reason)
        ? 'signature'
        : /payload/.test(reason)
          ? 'payload'
          : 'malformed';
    return { ok: false, why };
  }
}
