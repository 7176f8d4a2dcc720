/**
 * GS1 identifiers of the ledger's lots and movements, so that partners' systems name them the
 * way the rest of the supply chain names things: the operator's GS1 Company Prefix followed by
 * the printed code as serial ("AU-2026-000123", "MV-2026-000045": capitals, digits and '-' are
 * all in GS1's character set 82).
 * - A lot is one individual thing that is kept, weighed, split and sold: a GIAI (Global
 *   Individual Asset Identifier, Application Identifier 8004).
 * - A movement is a consignment: GS1 General Specifications, AI (401) GINC — "a logical grouping
 *   of goods (one or more physical entities) that has been consigned to a freight forwarder and
 *   is intended to be transported as a whole" — is exactly a declared load of fuel or mercury on
 *   one vehicle, and its reference is alphanumeric (set 82, up to 30 characters) so the printed
 *   code is its serial. Not an SSCC (AI 00): that names one physical logistic unit (a pallet,
 *   a drum) and is all digits, so the movement code could not be its serial; not a GIAI: an
 *   asset is owned and managed by its owner, a consignment is goods on their way to someone else.
 * Each is written either as a GS1 Digital Link URI (GS1 Digital Link URI Syntax 1.2,
 * `https://id.gs1.org/8004/<GIAI>`, `…/401/<GINC>`) or as an EPC pure-identity URN (GS1 EPC Tag
 * Data Standard 2.1, `urn:epc:id:giai:<prefix>.<reference>`, `urn:epc:id:ginc:<prefix>.<reference>`);
 * EPCIS 2.0 takes both, and a client chooses with the GS1-EPC-Format header.
 */

/**
 * The company prefix when the operator has not configured its own: GS1 reserves the prefix 952
 * for demonstrations and examples of the GS1 system (GS1 General Specifications §1.4.4), so these
 * identifiers can never collide with a real company's.
 */
export const demonstrationCompanyPrefix = '9520000';

/** A GS1 Company Prefix: 4 to 12 digits (GS1 General Specifications §1.4.4). */
export const companyPrefixPattern = /^\d{4,12}$/;

/** GS1's resolver, the canonical domain of Digital Link URIs. */
const gs1Resolver = 'https://id.gs1.org';

/** What a GS1 identifier of ours names: a lot (GIAI) or a movement (GINC). */
export type Gs1Subject = 'lot' | 'movement';

/** Each subject's GS1 key: its Application Identifier (Digital Link) and its EPC scheme (URN). */
export const gs1Keys = {
  lot: { ai: '8004', scheme: 'giai' },
  movement: { ai: '401', scheme: 'ginc' },
} as const satisfies Record<Gs1Subject, { ai: string; scheme: string }>;

/** The two ways EPCIS writes an identifier (the GS1-EPC-Format header's vocabulary). */
export type EpcFormat = 'digital_link' | 'epc_urn';

/**
 * The GS1 identifier of the lot or movement with this printed code, as a URI in `format`; a
 * Digital Link on `resolverUrl` (GS1's own unless another is given: the standard lets any
 * domain resolve, and a ledger may resolve its own identifiers).
 */
export function gs1Id(
  subject: Gs1Subject,
  companyPrefix: string,
  code: string,
  format: EpcFormat = 'digital_link',
  resolverUrl: string = gs1Resolver,
): string {
  const key = gs1Keys[subject];
  return format === 'epc_urn'
    ? `urn:epc:id:${key.scheme}:${companyPrefix}.${code}`
    : `${resolverUrl}/${key.ai}/${companyPrefix}${encodeURIComponent(code)}`;
}

/** A lot's or movement's GS1 identifier in both forms, as the API shows it beside its code. */
export interface Gs1Ids {
  /** The EPC pure-identity URN (`urn:epc:id:giai:…`, `urn:epc:id:ginc:…`). */
  epc: string;
  /** The canonical GS1 Digital Link URI on GS1's resolver (`https://id.gs1.org/8004/…`, `/401/…`). */
  digitalLink: string;
}

export const gs1IdsOf = (subject: Gs1Subject, companyPrefix: string, code: string): Gs1Ids => ({
  epc: gs1Id(subject, companyPrefix, code, 'epc_urn'),
  digitalLink: gs1Id(subject, companyPrefix, code, 'digital_link'),
});

/**
 * The company prefixes a ledger accepts: its own (GS1_COMPANY_PREFIX, which new labels carry)
 * first, then those of labels printed before it changed (GS1_ACCEPTED_PREFIXES).
 */
export type Prefixes = string | readonly string[];

const listOf = (p: Prefixes): readonly string[] => (typeof p === 'string' ? [p] : p);

/** The prefixes accepted, the configured one first. */
export const acceptedPrefixesOf = (o: {
  companyPrefix: string;
  acceptedPrefixes?: readonly string[] | undefined;
}): string[] => [o.companyPrefix, ...(o.acceptedPrefixes ?? []).filter((p) => p !== o.companyPrefix)];

/** The GIAI of a lot with this printed code, as a URI in `format`. */
export const giai = (companyPrefix: string, code: string, format: EpcFormat = 'digital_link'): string =>
  gs1Id('lot', companyPrefix, code, format);

/**
 * The lot or movement a GS1 identifier names under one of our company prefixes (the longest that
 * fits, should one prefix begin another), by its printed code, from
 * either form (a Digital Link on any resolver's domain, with any path before its key, as the
 * standard allows, and any query after it), or null when the URI is not one of ours.
 */
export function subjectOfGs1Id(
  uri: string,
  companyPrefixes: Prefixes,
): { subject: Gs1Subject; code: string } | null {
  const prefixes = listOf(companyPrefixes);
  const urn = /^urn:epc:id:(giai|ginc):(\d+)\.(.+)$/.exec(uri);
  if (urn) {
    if (!prefixes.includes(urn[2] ?? '')) return null;
    const code = decoded(urn[3] ?? '');
    return code ? { subject: urn[1] === 'giai' ? 'lot' : 'movement', code } : null;
  }
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const m = /\/(8004|401)\/([^/?#]+)$/.exec(url.pathname);
  const reference = m?.[2] ? decoded(m[2]) : null;
  if (!reference) return null;
  const prefix = [...prefixes]
    .sort((a, b) => b.length - a.length)
    .find((p) => reference.startsWith(p) && reference.length > p.length);
  if (prefix === undefined) return null;
  return { subject: m?.[1] === '8004' ? 'lot' : 'movement', code: reference.slice(prefix.length) };
}

/** Percent-decoded text, or null for a malformed escape (hostile input is not an error here). */
function decoded(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/** The printed code of the lot a GIAI names under our company prefix, or null. */
export function codeOfGiai(uri: string, companyPrefixes: Prefixes): string | null {
  const s = subjectOfGs1Id(uri, companyPrefixes);
  return s?.subject === 'lot' ? s.code : null;
}
