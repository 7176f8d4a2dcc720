import type { AmlFlag, AmlItem, AmlReport } from '../../domain/reports/schemas.js';
import { csvField } from '../../domain/shared/csv.js';
import { evidenceSummary } from '../../domain/shared/evidence-words.js';
import { flagStatuses, type Severity } from '../../domain/shared/vocabulary.js';
import {
  flagStatusWords,
  inputWords,
  lotStatusWords,
  movementStatusWords,
  paymentMethodWords,
  ruleWords,
  severityWords,
  subjectTypeWords,
  transferOperationWords,
  type WordLang,
  wordFor,
} from '../../domain/shared/words.js';

export const amlCsvColumns = [
  'risk_level',
  'subject_type',
  'code',
  'id',
  'status',
  'producer_tax_id',
  'producer_name',
  'custodian_tax_id',
  'custodian_name',
  'consignor_tax_id',
  'consignor_name',
  'consignee_tax_id',
  'consignee_name',
  'gross_weight_g',
  'fine_weight_g',
  'input',
  'quantity',
  'unit',
  'route',
  'destination',
  'origin_lon',
  'origin_lat',
  'concession_code',
  'extracted_on',
  'exported_on',
  'destination_country',
  'customs_declaration',
  'rules',
  'rule_descriptions',
  'max_severity',
  'evidence_summary',
  'review_state',
  'flag_count',
  'first_flagged_at',
  'last_flagged_at',
  'handover_count',
  'last_handover_at',
  'last_handover_operation',
  'last_handover_to_tax_id',
  'last_price_amount',
  'last_price_currency',
  'last_payment_method',
  'last_payment_reference',
  'last_invoice_number',
  'last_invoice_issued_on',
] as const;
type AmlCsvColumn = (typeof amlCsvColumns)[number];
type CsvRow = Partial<Record<AmlCsvColumn, string | number | null>>;

/**
 * The header row in each language. English keeps the stable column ids above (what scripts
 * read); Spanish, the default, says the same in the words of Peru's LA/FT (lavado de activos y
 * financiamiento del terrorismo) reporting to the UIF-Perú.
 */
const headers: Record<WordLang, Record<AmlCsvColumn, string>> = {
  en: Object.fromEntries(amlCsvColumns.map((c) => [c, c])) as Record<AmlCsvColumn, string>,
  es: {
    risk_level: 'Nivel de riesgo',
    subject_type: 'Tipo',
    code: 'Código',
    id: 'Id',
    status: 'Estado',
    producer_tax_id: 'RUC del productor',
    producer_name: 'Productor',
    custodian_tax_id: 'RUC del custodio',
    custodian_name: 'Custodio',
    consignor_tax_id: 'RUC del remitente',
    consignor_name: 'Remitente',
    consignee_tax_id: 'RUC del destinatario',
    consignee_name: 'Destinatario',
    gross_weight_g: 'Peso bruto (g)',
    fine_weight_g: 'Oro fino (g)',
    input: 'Insumo',
    quantity: 'Cantidad',
    unit: 'Unidad',
    route: 'Ruta',
    destination: 'Destino',
    origin_lon: 'Longitud del origen',
    origin_lat: 'Latitud del origen',
    concession_code: 'Concesión',
    extracted_on: 'Fecha de extracción',
    exported_on: 'Fecha de exportación',
    destination_country: 'País de destino',
    customs_declaration: 'Declaración aduanera (DAM)',
    rules: 'Reglas (códigos)',
    rule_descriptions: 'Reglas',
    max_severity: 'Severidad máxima',
    evidence_summary: 'Resumen de la evidencia',
    review_state: 'Estado de revisión',
    flag_count: 'Alertas',
    first_flagged_at: 'Primera alerta (UTC)',
    last_flagged_at: 'Última alerta (UTC)',
    handover_count: 'Entregas',
    last_handover_at: 'Última entrega (UTC)',
    last_handover_operation: 'Operación de la última entrega',
    last_handover_to_tax_id: 'RUC de quien recibió la última entrega',
    last_price_amount: 'Último precio',
    last_price_currency: 'Moneda del último precio',
    last_payment_method: 'Último medio de pago',
    last_payment_reference: 'Referencia del último pago',
    last_invoice_number: 'Número de la última factura',
    last_invoice_issued_on: 'Fecha de la última factura',
  },
};

const severityOrder: Severity[] = ['critical', 'high', 'medium', 'low'];

/**
 * An instant as a spreadsheet reads it. Spanish: "2026-12-07 08:53:07", which Excel takes as a
 * date and time (an ISO "…T…Z" stays text there), in UTC as the header says — as the flag
 * queue's CSV writes them. English keeps the API's ISO 8601 text, for scripts.
 */
const instant = (iso: string | undefined, lang: WordLang): string | undefined =>
  iso && lang === 'es' ? iso.slice(0, 19).replace('T', ' ') : iso;

/**
 * One flag of the evidence column. English keeps what scripts read: the rule's code and the
 * sentence the rule wrote (the JSON's `summary`). Spanish names the rule and words the evidence
 * as the screens do; evidence too odd to word (an older rule's) falls back to that sentence.
 */
function flagSummary(f: AmlFlag, lang: WordLang): string {
  if (lang === 'en') return `${f.rule}: ${f.summary}`;
  let text = f.summary;
  try {
    text = evidenceSummary(f.rule, f.evidence, lang, f.inheritedFrom !== null);
  } catch {}
  return `${wordFor(ruleWords[lang], f.rule)}: ${text}`;
}

/**
 * One subject's row. Codes are worded in the report's language (risk, kind, status, input,
 * review, operation, payment); the rule codes stay in their own column beside their words, as
 * the stable names analysts look rules up by. Weights, quantities and coordinates keep the
 * API's decimal text ("1000.000", "-70.1"): a decimal point and no grouping is what Excel set
 * to es-PE reads as a number (Peru writes the decimal point, as Windows' es-PE settings do, with
 * the comma as list separator), and what every other tool reads too.
 */
function csvRowOf(i: AmlItem, lang: WordLang): CsvRow {
  const rules = [...new Set(i.flags.map((f) => f.rule))];
  const raised = i.flags.map((f) => f.raisedAt);
  const maxSeverity = severityOrder.find((s) => i.flags.some((f) => f.severity === s));
  const common = {
    risk_level: wordFor(severityWords[lang], i.riskLevel),
    subject_type: wordFor(subjectTypeWords[lang], i.subjectType),
    code: i.code,
    id: i.id,
    status:
      i.subjectType === 'lot'
        ? wordFor(lotStatusWords[lang], i.status)
        : wordFor(movementStatusWords[lang], i.status),
    rules: rules.join(';'),
    rule_descriptions: rules.map((r) => wordFor(ruleWords[lang], r)).join('; '),
    max_severity: maxSeverity && wordFor(severityWords[lang], maxSeverity),
    evidence_summary: i.flags.map((f) => flagSummary(f, lang)).join(' | '),
    review_state: flagStatuses
      .filter((s) => i.reviewState[s] > 0)
      .map((s) => `${wordFor(flagStatusWords[lang], s)}=${i.reviewState[s]}`)
      .join(';'),
    flag_count: i.flags.length,
    first_flagged_at: instant(raised[0], lang),
    last_flagged_at: instant(raised[raised.length - 1], lang),
  };
  if (i.subjectType === 'lot') {
    // The money trail in one row: the latest hand-over's price, payment and invoice (the one the
    // lot left its last holder by); the JSON report lists every hand-over, and a money-trail
    // flag's summary names the hand-over it concerns.
    const last = i.handOvers[i.handOvers.length - 1];
    return {
      ...common,
      producer_tax_id: i.producer?.taxId,
      producer_name: i.producer?.name,
      custodian_tax_id: i.custodian.taxId,
      custodian_name: i.custodian.name,
      gross_weight_g: i.grossWeightG,
      fine_weight_g: i.fineWeightG,
      origin_lon: i.origin?.lon,
      origin_lat: i.origin?.lat,
      concession_code: i.concession?.code,
      extracted_on: i.extractedOn,
      exported_on: i.export?.exportedOn,
      destination_country: i.export?.destinationCountry,
      customs_declaration: i.export?.customsDeclaration,
      handover_count: i.handOvers.length,
      last_handover_at: instant(last?.occurredAt, lang),
      last_handover_operation: last && wordFor(transferOperationWords[lang], last.operation),
      last_handover_to_tax_id: last?.to?.taxId,
      last_price_amount: last?.price?.amount,
      last_price_currency: last?.price?.currency,
      last_payment_method: last?.payment && wordFor(paymentMethodWords[lang], last.payment.method),
      last_payment_reference: last?.payment?.reference,
      last_invoice_number: last?.invoice?.number,
      last_invoice_issued_on: last?.invoice?.issuedOn,
    };
  }
  const d = i.destination;
  return {
    ...common,
    consignor_tax_id: i.consignor.taxId,
    consignor_name: i.consignor.name,
    consignee_tax_id: i.consignee.taxId,
    consignee_name: i.consignee.name,
    input: wordFor(inputWords[lang], i.input),
    quantity: i.quantity,
    unit: i.unit,
    route: i.route,
    destination:
      d.kind === 'concession'
        ? `${lang === 'es' ? 'concesión' : 'concession'} ${d.concessionCode}`
        : `${lang === 'es' ? 'punto' : 'point'} ${d.lon} ${d.lat}`,
  };
}

/**
 * The report as CSV: a header and one row per subject, CRLF line ends (RFC 4180), in Spanish
 * (the default) or English. It starts with the UTF-8 byte order mark: without it Excel, which
 * is what most analysts open it with, reads the file in the system's ANSI code page and garbles
 * every ñ and accent of Peru's names; pandas (encoding="utf-8-sig"), R and csvkit skip it.
 */
export function amlCsv(report: AmlReport, lang: WordLang = 'es'): string {
  const lines = [amlCsvColumns.map((c) => csvField(headers[lang][c])).join(',')];
  for (const i of report.items) {
    const row = csvRowOf(i, lang);
    lines.push(amlCsvColumns.map((c) => csvField(row[c])).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The file's name: Peru's LA/FT report in Spanish, the AML report in English. */
export const amlCsvFileName = (report: Pick<AmlReport, 'from' | 'to'>, lang: WordLang): string =>
  `${lang === 'es' ? 'informe-LAFT' : 'aml'}-${report.from}-${report.to}.csv`;
