import type { FlagStatus, RuleCode, Severity, SubjectType } from '../shared/vocabulary.js';
import type { FlagListItem } from './schemas.js';

/**
 * The flag queue as a spreadsheet (GET /v1/flags?format=csv): one row per flag, headers and
 * values in words — Spanish unless English is asked for — since the people who open it in Excel
 * read words, not the API's codes (the rule's code stays in a column of its own, for lookups).
 * RFC 4180 (CRLF, quotes doubled), UTF-8 with a byte-order mark: without it Excel reads the
 * file as the system's code page and garbles every accent.
 *
 * The words repeat those of the apps (web/shared/words.ts), which the server may not import;
 * they say the same things.
 */

export const csvLangs = ['es', 'en'] as const;
type CsvLang = (typeof csvLangs)[number];

const ruleWords: Record<CsvLang, Record<RuleCode, string>> = {
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
  },
};

const severityWords: Record<CsvLang, Record<Severity, string>> = {
  es: { low: 'bajo', medium: 'medio', high: 'alto', critical: 'crítico' },
  en: { low: 'low', medium: 'medium', high: 'high', critical: 'critical' },
};

const statusWords: Record<CsvLang, Record<FlagStatus, string>> = {
  es: { open: 'abierta', acknowledged: 'reconocida', escalated: 'escalada', dismissed: 'descartada' },
  en: { open: 'open', acknowledged: 'acknowledged', escalated: 'escalated', dismissed: 'dismissed' },
};

const subjectWords: Record<CsvLang, Record<SubjectType, string>> = {
  es: { lot: 'lote', movement: 'movimiento de insumos' },
  en: { lot: 'lot', movement: 'input movement' },
};

const columns = [
  'severity',
  'rule',
  'subjectType',
  'subjectCode',
  'status',
  'raisedAt',
  'inheritedFrom',
  'reviewedBy',
  'reviewedAt',
  'reviewReason',
  'ruleCode',
  'evidence',
  'id',
  'subjectId',
] as const;
type Column = (typeof columns)[number];

const headers: Record<CsvLang, Record<Column, string>> = {
  es: {
    severity: 'Gravedad',
    rule: 'Regla',
    subjectType: 'Tipo de sujeto',
    subjectCode: 'Código del lote o movimiento',
    status: 'Estado',
    raisedAt: 'Levantada (UTC)',
    inheritedFrom: 'Heredada de la alerta',
    reviewedBy: 'Revisada por',
    reviewedAt: 'Revisada (UTC)',
    reviewReason: 'Motivo de la revisión',
    ruleCode: 'Código de la regla',
    evidence: 'Evidencia (JSON)',
    id: 'Id de la alerta',
    subjectId: 'Id del lote o movimiento',
  },
  en: {
    severity: 'Severity',
    rule: 'Rule',
    subjectType: 'Subject type',
    subjectCode: 'Lot or movement code',
    status: 'Status',
    raisedAt: 'Raised (UTC)',
    inheritedFrom: 'Inherited from flag',
    reviewedBy: 'Reviewed by',
    reviewedAt: 'Reviewed (UTC)',
    reviewReason: 'Review reason',
    ruleCode: 'Rule code',
    evidence: 'Evidence (JSON)',
    id: 'Flag id',
    subjectId: 'Lot or movement id',
  },
};

/** A time as a spreadsheet reads it: "2026-12-07 08:53:07", UTC (the header says so). */
const when = (d: Date | null): string => (d ? d.toISOString().slice(0, 19).replace('T', ' ') : '');

/**
 * One RFC 4180 field. Codes, names and reasons come from people, and a spreadsheet runs a cell
 * that starts with = + - @ (or a tab or carriage return, which some strip first) as a formula
 * (OWASP "CSV Injection"): such text gets a leading apostrophe, which Excel shows as text.
 */
function csvField(value: string): string {
  const s = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function rowOf(f: FlagListItem, lang: CsvLang): Record<Column, string> {
  return {
    severity: severityWords[lang][f.severity],
    rule: ruleWords[lang][f.rule] ?? f.rule,
    subjectType: subjectWords[lang][f.subjectType],
    subjectCode: f.subjectCode ?? '',
    status: statusWords[lang][f.status],
    raisedAt: when(f.createdAt),
    inheritedFrom: f.inheritedFrom ?? '',
    reviewedBy: f.reviewedBy ?? '',
    reviewedAt: when(f.reviewedAt),
    reviewReason: f.reviewReason ?? '',
    ruleCode: f.rule,
    evidence: JSON.stringify(f.evidence),
    id: f.id,
    subjectId: f.subjectId,
  };
}

/** The queue as CSV text, byte-order mark first. */
export function flagsCsv(items: FlagListItem[], lang: CsvLang): string {
  const lines = [columns.map((c) => csvField(headers[lang][c])).join(',')];
  for (const f of items) {
    const row = rowOf(f, lang);
    lines.push(columns.map((c) => csvField(row[c])).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Column headers in order, for the OpenAPI description. */
export const flagsCsvHeaders = (lang: CsvLang): string[] => columns.map((c) => headers[lang][c]);
