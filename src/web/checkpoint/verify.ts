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

/**
 * What a QR is verified against: the ledger's keys, and the GS1 company prefixes its Digital Links
 * may be under (its own and earlier ones still accepted), both from /.well-known/jwks.json.
 */
interface Trust {
  keys: JWK[];
  /** Absent when the keys were kept before the server sent prefixes: any 4 to 12 digits then. */
  prefixes?: string[];
}

/** The keys kept on the device; fetched first when there are none and the device is online. */
export async function ledgerKeys(): Promise<JWK[] | undefined> {
  return (await ledgerTrust())?.keys;
}

async function ledgerTrust(): Promise<Trust | undefined> {
  const kept = await getFact('jwks', keysScope);
  if (kept?.keys.length) return kept;
  return (await refreshTrust()) ?? undefined;
}

/** Fetches the keys (the service worker also keeps the last answer); null when offline. */
export async function refreshLedgerKeys(): Promise<JWK[] | null> {
  return (await refreshTrust())?.keys ?? null;
}

async function refreshTrust(): Promise<Trust | null> {
  if (!isOnline()) return null;
  try {
    const res = await fetch('/.well-known/jwks.json', { headers: { accept: 'application/json' } });
    if (!res.ok) return null;
    const { keys, gs1CompanyPrefixes } = (await res.json()) as { keys: JWK[]; gs1CompanyPrefixes?: unknown };
    if (!Array.isArray(keys) || keys.length === 0) return null;
    const prefixes =
      Array.isArray(gs1CompanyPrefixes) &&
      gs1CompanyPrefixes.every((p) => typeof p === 'string' && /^\d{4,12}$/.test(p))
        ? (gs1CompanyPrefixes as string[])
        : undefined;
    const trust: Trust = { keys, ...(prefixes?.length ? { prefixes } : {}) };
    await putFact('jwks', keysScope, { ...trust, fetchedAt: new Date().toISOString() });
    return trust;
  } catch {
    return null;
  }
}

export type WhyRefused = 'malformed' | 'foreignKey' | 'signature' | 'payload' | 'prefix';

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
  const trust = await ledgerTrust();
  if (!trust) return { ok: false, why: 'noKeys' };
  const first = await verifyWith(trust, text.trim());
  // A key the device does not know may be a new key of the ledger (a rotation), a prefix it does
  // not know one the ledger has accepted since: ask once.
  if (!first.ok && (first.why === 'foreignKey' || first.why === 'prefix') && isOnline()) {
    const fresh = await refreshTrust();
    if (fresh) return verifyWith(fresh, text.trim());
  }
  return first;
}

async function verifyWith(trust: Trust, token: string): Promise<Verification> {
  try {
    return { ok: true, subject: await verifyQr(trust.keys, token, trust.prefixes), token };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const reason = err.errors?.[0]?.message ?? '';
    const why: WhyRefused = /company prefix/.test(reason)
      ? 'prefix'
      : /key|algorithm/.test(reason)
        ? 'foreignKey'
        : /signature/.test(reason)
          ? 'signature'
          : /payload/.test(reason)
            ? 'payload'
            : 'malformed';
    return { ok: false, why };
  }
}
