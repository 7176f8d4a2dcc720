import { base64url, compactVerify, decodeProtectedHeader, type JWK } from 'jose';
import { importedPublicKey } from '../ledger/public-keys.js';
import { type LedgerSigner, signCompact } from '../ledger/signer.js';
import { ApiError } from '../shared/errors.js';
import { gs1Id, gs1Keys } from '../shared/gs1.js';
import type { SubjectType } from '../shared/vocabulary.js';

/** What a QR code names: a lot or a movement, by id and human code — nothing private. */
export interface QrSubject {
  kind: SubjectType;
  id: string;
  code: string;
  /**
   * Signed for a lookup of the printed code (checkpoint staff typing it), not printed on a label:
   * a check made with it is a typed one, never a scanned one (lots/scans.ts).
   */
  lookedUp?: true;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The compact JWS printed in a QR code (ES256, key id in the header). The payload uses short
 * member names because every byte makes the QR denser: {"t":"lot","i":<id>,"c":<code>}.
 */
export async function signQr(key: LedgerSigner, s: QrSubject): Promise<string> {
  const payload = JSON.stringify({ t: s.kind, i: s.id, c: s.code, ...(s.lookedUp ? { e: 'code' } : {}) });
  return signCompact(key, { alg: 'ES256', kid: key.kid }, encoder.encode(payload));
}

/**
 * The two forms of the URL printed in a QR code. `compact`: `<base>/v/<jws>`, the shortest.
 * `digital-link`: a GS1 Digital Link URI (GS1 Digital Link URI Syntax 1.2) naming the lot's GIAI
 * or the movement's GINC (shared/gs1.ts) on the ledger's own domain or a configured resolver, the
 * signature in a query parameter — the syntax lets a query string carry keys that are not GS1
 * Application Identifiers (they are not all digits) beside its data attributes, and a Digital
 * Link processor passes them on — so any GS1 scanner reads the identifier and the checkpoint app
 * still verifies the code offline. Both verify forever: labels already printed keep working.
 */
export const qrFormats = ['digital-link', 'compact'] as const;
export type QrFormat = (typeof qrFormats)[number];

/** The query parameter of a Digital Link that carries the QR's signature. */
export const jwsParameter = 'jws';

/** How this ledger writes the URL of a QR code. */
export interface QrLinks {
  /** The ledger's public origin, without a trailing slash: `/v/` links and resolving. */
  baseUrl: string;
  format: QrFormat;
  /** The domain of Digital Links (absent: baseUrl, which resolves them: GET /8004/… and /401/…). */
  resolver?: string | undefined;
  /** The operator's GS1 Company Prefix: the one new labels carry. */
  companyPrefix: string;
  /** Earlier prefixes whose printed labels are still accepted (GS1_ACCEPTED_PREFIXES). */
  acceptedPrefixes?: readonly string[] | undefined;
}

/** The links of a ledger that prints compact codes: the form of the tests' and demos' defaults. */
export const compactLinks = (baseUrl: string, companyPrefix: string): QrLinks => ({
  baseUrl,
  format: 'compact',
  companyPrefix,
});

/**
 * What a JWS of ours says, read without verifying: the ledger reads back its own tokens to print
 * them, never to trust a scanned one (verifyQr does that).
 */
function claimsOf(jws: string): { t: 'lot' | 'movement'; c: string } | null {
  try {
    const p = JSON.parse(decoder.decode(base64url.decode(jws.split('.')[1] ?? ''))) as {
      t?: unknown;
      c?: unknown;
    };
    return (p.t === 'lot' || p.t === 'movement') && typeof p.c === 'string' ? { t: p.t, c: p.c } : null;
  } catch {
    return null;
  }
}

/** The URL printed in the QR code of the subject this JWS signs, in the ledger's configured form. */
export function qrUrl(links: QrLinks, jws: string): string {
  const claims = links.format === 'digital-link' ? claimsOf(jws) : null;
  if (!claims) return `${links.baseUrl}/v/${jws}`;
  const id = gs1Id(claims.t, links.companyPrefix, claims.c, 'digital_link', links.resolver ?? links.baseUrl);
  return `${id}?${jwsParameter}=${jws}`;
}

const jwsPattern = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** A scanned QR's content: its JWS, and the GS1 key and reference when it is a Digital Link. */
interface Scanned {
  jws: string;
  digitalLink?: { ai: string; reference: string };
}

/**
 * Reads a scan: the bare JWS, the `<base>/v/<jws>` URL, or a Digital Link carrying `jws=` (on any
 * domain and path, as Digital Links may be), as scanners may send any of them. A URL whose path
 * ends in a GIAI or GINC is read as a Digital Link and nothing else: its one signature is checked
 * against its identifier, however else its query is dressed.
 */
function readScan(token: string): Scanned {
  const trimmed = token.trim();
  if (/^https?:\/\//i.test(trimmed)) {
    let url: URL | undefined;
    try {
      url = new URL(trimmed);
    } catch {}
    const key = url && /\/(8004|401)\/([^/?#]+)$/.exec(url.pathname);
    if (url && key?.[1] && key[2]) {
      const jws = url.searchParams.getAll(jwsParameter);
      let reference = '';
      try {
        reference = decodeURIComponent(key[2]);
      } catch {}
      return { jws: jws.length === 1 ? (jws[0] ?? '') : '', digitalLink: { ai: key[1], reference } };
    }
  }
  const m = /\/v\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\/?(?:[?#].*)?$/.exec(trimmed);
  return { jws: m?.[1] ?? trimmed };
}

/** Accepts the bare JWS, the whole `<base>/v/<jws>` URL or a Digital Link, as scanners may send any. */
export const jwsFromScan = (token: string): string => readScan(token).jws;

const invalid = (why: string) =>
  new ApiError('invalid_qr', `QR token is not genuine: ${why}`, {
    errors: [{ field: 'token', message: why }],
  });

/**
 * Verifies a scanned QR token against the ledger's public keys; forged, truncated or foreign ones
 * fail. A Digital Link must name what its signature names — the key of that kind of subject and
 * its printed code under a company prefix (one of `companyPrefixes` when given: the server's
 * own and those it still accepts, which a device receives with the keys; without them, any of 4 to
 * 12 digits) — so a link whose identifier was swapped, that carries the signature of another
 * lot, or that is under a prefix the ledger does not accept, is refused.
 */
export async function verifyQr(
  publicKeys: JWK[],
  token: string,
  companyPrefixes?: readonly string[],
): Promise<QrSubject> {
  const { jws, digitalLink } = readScan(token);
  if (!jwsPattern.test(jws)) throw invalid('malformed or truncated');
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
  let subject: QrSubject | undefined;
  try {
    ({ payload } = await compactVerify(jws, await importedPublicKey(jwk), { algorithms: ['ES256'] }));
  } catch {
    throw invalid('signature does not verify');
  }
  try {
    const p = JSON.parse(decoder.decode(payload)) as { t?: unknown; i?: unknown; c?: unknown; e?: unknown };
    if ((p.t === 'lot' || p.t === 'movement') && typeof p.i === 'string' && typeof p.c === 'string') {
      subject = { kind: p.t, id: p.i, code: p.c, ...(p.e === 'code' ? { lookedUp: true as const } : {}) };
    }
  } catch {}
  if (!subject) throw invalid('payload does not name a lot or a movement');
  const named = digitalLink ? namesSubject(digitalLink, subject, companyPrefixes) : 'same';
  if (named === 'other') throw invalid('the Digital Link names another lot or movement than its signature');
  if (named === 'prefix')
    throw invalid('the Digital Link is under a GS1 company prefix this ledger does not accept');
  return subject;
}

function namesSubject(
  link: { ai: string; reference: string },
  s: QrSubject,
  companyPrefixes?: readonly string[],
): 'same' | 'other' | 'prefix' {
  if (link.ai !== gs1Keys[s.kind].ai || !link.reference.endsWith(s.code)) return 'other';
  const prefix = link.reference.slice(0, link.reference.length - s.code.length);
  if (!/^\d{4,12}$/.test(prefix)) return 'other';
  return companyPrefixes === undefined || companyPrefixes.includes(prefix) ? 'same' : 'prefix';
}

/**
 * The QR URL handed to checkpoint staff who look a lot or movement up by its printed code: the
 * same subject, signed as looked up, so that a check recorded with it can only be a typed one —
 * the label's own signature is never handed out to someone who may not hold the label.
 */
export async function lookedUpQrUrl(key: LedgerSigner, links: QrLinks, s: QrSubject): Promise<string> {
  return qrUrl(links, await signQr(key, { kind: s.kind, id: s.id, code: s.code, lookedUp: true }));
}
