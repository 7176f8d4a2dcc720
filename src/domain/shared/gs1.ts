/**
 * GS1 identifiers of the ledger's lots and movements, so that partners' systems name them the
 * way the rest of the supply chain names things. Each lot and each movement is one individual
 * thing with a printed code, so its identifier is a GIAI (Global Individual Asset Identifier, GS1
 * Application Identifier 8004): the operator's GS1 Company Prefix followed by the printed code as
 * the individual asset reference ("AU-2026-000123": capitals, digits and '-' are all in GS1's
 * character set 82). It is written either as a GS1 Digital Link URI (GS1 Digital Link standard
 * 1.2, `https://id.gs1.org/8004/<GIAI>`) or as an EPC pure-identity URN (GS1 EPC Tag Data
 * Standard 2.1 §6.3.5, `urn:epc:id:giai:<company prefix>.<asset reference>`); EPCIS 2.0 takes
 * both, and a client chooses with the GS1-EPC-Format header.
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
const resolver = 'https://id.gs1.org';

/** The two ways EPCIS writes an identifier (the GS1-EPC-Format header's vocabulary). */
export type EpcFormat = 'digital_link' | 'epc_urn';

/** The GIAI of a thing with this printed code, as a URI in `format`. */
export function giai(companyPrefix: string, code: string, format: EpcFormat = 'digital_link'): string {
  return format === 'epc_urn'
    ? `urn:epc:id:giai:${companyPrefix}.${code}`
    : `${resolver}/8004/${companyPrefix}${encodeURIComponent(code)}`;
}

/**
 * The printed code a GIAI names under our company prefix, from either form (a Digital Link on
 * any resolver's domain, as the standard allows), or null when the URI is not one of ours.
 */
export function codeOfGiai(uri: string, companyPrefix: string): string | null {
  const urn = /^urn:epc:id:giai:(\d+)\.(.+)$/.exec(uri);
  if (urn) return urn[1] === companyPrefix ? decodeURIComponent(urn[2] ?? '') : null;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const m = /\/8004\/([^/?#]+)$/.exec(url.pathname);
  const reference = m?.[1] ? decodeURIComponent(m[1]) : undefined;
  if (!reference?.startsWith(companyPrefix)) return null;
  return reference.slice(companyPrefix.length);
}
