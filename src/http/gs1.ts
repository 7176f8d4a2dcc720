import type { Context } from 'hono';
import type { Gs1Options } from '../domain/lots/epcis.js';
import type { QrLinks } from '../domain/lots/qr.js';
import { demonstrationCompanyPrefix } from '../domain/shared/gs1.js';
import type { AppEnv } from './env.js';

/**
 * How a request wants GS1 identifiers written (EPCIS 2.0 REST bindings, header GS1-EPC-Format):
 * `Always_EPC_URN` as EPC URNs; `Always_GS1_Digital_Link` (the default when absent),
 * `No_Preference` and `Never_Translates` as Digital Link URIs, the form the ledger mints.
 */
export function gs1Options(c: Context<AppEnv>): Gs1Options {
  return {
    companyPrefix: c.var.services.gs1CompanyPrefix ?? demonstrationCompanyPrefix,
    acceptedPrefixes: c.var.services.gs1AcceptedPrefixes,
    epcFormat: c.req.header('GS1-EPC-Format') === 'Always_EPC_URN' ? 'epc_urn' : 'digital_link',
  };
}

/** How this ledger writes the URLs printed in QR codes (config.ts QR_FORMAT, QR_RESOLVER). */
export function qrLinks(c: Context<AppEnv>): QrLinks {
  const s = c.var.services;
  return {
    baseUrl: s.baseUrl,
    format: s.qrFormat ?? 'compact',
    resolver: s.qrResolver,
    companyPrefix: s.gs1CompanyPrefix ?? demonstrationCompanyPrefix,
    acceptedPrefixes: s.gs1AcceptedPrefixes,
  };
}
