/**
 * What the API's codes mean in plain words, in both languages: rule codes, severities, flag and
 * lot statuses. Every app shows these instead of the codes (the code stays in a tooltip for
 * people who look it up in the rules' documentation).
 */
import type { FlagStatus, RuleCode, Severity } from '../../domain/shared/vocabulary.js';
import type { Lang } from './i18n.js';

export const ruleWords: Record<Lang, Record<RuleCode, string>> = {
  es: {
    ORIGIN_IN_EXCLUSION_ZONE:
      'Oro extraído dentro de una zona de exclusión (área protegida, zona de amortiguamiento o prohibida)',
    ORIGIN_OUTSIDE_CONCESSION: 'El punto de origen está fuera de la concesión declarada',
    CONCESSION_NOT_VALID_MINING: 'La concesión declarada no es una concesión minera vigente',
    PRODUCER_NOT_FORMALIZED: 'El productor no estaba formalizado en la fecha de extracción',
    PRODUCER_NOT_OPERATOR: 'El productor no es titular ni operador autorizado de la concesión',
    CONCESSION_OVERLAPS_OTHER_RIGHTS:
      'La concesión se superpone con otros derechos (forestal, ecoturismo, castaña…)',
    CUSTODIAN_NOT_REGISTERED: 'El custodio no tiene registro de comercializador',
    PRODUCTION_OVER_CAPACITY: 'Producción mayor a la capacidad plausible de la concesión',
    INPUT_OUTPUT_MISMATCH: 'Oro desproporcionado respecto al mercurio y combustible recibidos (o al revés)',
    STRUCTURING: 'Fraccionamiento: muchos lotes justo debajo del umbral de reporte',
    QR_CLONED: 'Código QR clonado o reutilizado (viaje imposible o escaneo tras exportación)',
    WEIGHT_DISCREPANCY: 'El peso observado no coincide con el declarado',
    CONSIGNEE_NOT_AUTHORIZED: 'El destinatario del insumo no está autorizado',
    DESTINATION_IN_EXCLUSION_ZONE: 'El destino del insumo está en una zona de exclusión',
    OVER_QUOTA: 'El envío supera la cuota mensual autorizada',
    OFF_ROUTE: 'Inspeccionado fuera de su ruta declarada',
    NO_MINING_FOOTPRINT: 'Oro declarado de una concesión sin minería detectada por satélite',
    ORIGIN_FAR_FROM_FOOTPRINT: 'El punto de origen está lejos de toda minería detectada por satélite',
    CASH_ABOVE_THRESHOLD: 'Pago en efectivo por encima del umbral de la ley de bancarización',
    PRICE_ANOMALY: 'Precio por gramo fino muy lejos del precio de referencia',
    EXPORT_RECEIPT_MISMATCH:
      'La recepción en destino no coincide con lo exportado (peso distinto, o lote nunca exportado)',
  },
  en: {
    ORIGIN_IN_EXCLUSION_ZONE:
      'Gold mined inside an exclusion zone (protected area, buffer zone or banned area)',
    ORIGIN_OUTSIDE_CONCESSION: 'The origin point lies outside the declared concession',
    CONCESSION_NOT_VALID_MINING: 'The declared concession is not a valid mining concession',
    PRODUCER_NOT_FORMALIZED: 'The producer was not formalized on the extraction date',
    PRODUCER_NOT_OPERATOR: 'The producer is neither holder nor authorized operator of the concession',
    CONCESSION_OVERLAPS_OTHER_RIGHTS: 'The concession overlaps other rights (timber, ecotourism, chestnut…)',
    CUSTODIAN_NOT_REGISTERED: 'The custodian holds no trader registration',
    PRODUCTION_OVER_CAPACITY: "Production beyond the concession's plausible capacity",
    INPUT_OUTPUT_MISMATCH: 'Gold out of proportion to the mercury and fuel received (or the reverse)',
    STRUCTURING: 'Structuring: many lots just under a reporting threshold',
    QR_CLONED: 'Cloned or reused QR code (impossible travel or scan after export)',
    WEIGHT_DISCREPANCY: 'The observed weight does not match the declared one',
    CONSIGNEE_NOT_AUTHORIZED: 'The consignee of the input is not authorized',
    DESTINATION_IN_EXCLUSION_ZONE: 'The destination of the input is in an exclusion zone',
    OVER_QUOTA: 'The consignment exceeds the authorized monthly quota',
    OFF_ROUTE: 'Inspected off its declared route',
    NO_MINING_FOOTPRINT: 'Gold declared from a concession where satellites detect no mining',
    ORIGIN_FAR_FROM_FOOTPRINT: 'The origin point is far from any mining detected by satellite',
    CASH_ABOVE_THRESHOLD: 'Paid in cash above the threshold of the bancarización law',
    PRICE_ANOMALY: 'Price per fine gram far from the reference price',
    EXPORT_RECEIPT_MISMATCH:
      'The receipt abroad does not match the export (other weight, or a lot never exported)',
  },
};

export const severityWords: Record<Lang, Record<Severity | 'none', string>> = {
  es: { none: 'sin riesgo', low: 'bajo', medium: 'medio', high: 'alto', critical: 'crítico' },
  en: { none: 'no risk', low: 'low', medium: 'medium', high: 'high', critical: 'critical' },
};

export const flagStatusWords: Record<Lang, Record<FlagStatus, string>> = {
  es: { open: 'abierta', acknowledged: 'reconocida', escalated: 'escalada', dismissed: 'descartada' },
  en: { open: 'open', acknowledged: 'acknowledged', escalated: 'escalated', dismissed: 'dismissed' },
};

export const lotStatusWords: Record<Lang, Record<'active' | 'consumed' | 'exported' | 'seized', string>> = {
  es: { active: 'activo', consumed: 'consumido', exported: 'exportado', seized: 'incautado' },
  en: { active: 'active', consumed: 'consumed', exported: 'exported', seized: 'seized' },
};

export const formWords: Record<Lang, Record<string, string>> = {
  es: {
    dore: 'doré',
    nugget: 'pepita',
    amalgam: 'amalgama',
    sponge: 'esponja',
    granules: 'granallas',
    bar: 'barra',
    recycled: 'reciclado',
  },
  en: {
    dore: 'doré',
    nugget: 'nugget',
    amalgam: 'amalgam',
    sponge: 'sponge',
    granules: 'granules',
    bar: 'bar',
    recycled: 'recycled',
  },
};

/** A word for a code, or the code itself when the dictionary does not know it. */
export const wordFor = <K extends string>(words: Record<string, string>, code: K): string =>
  words[code] ?? code;
