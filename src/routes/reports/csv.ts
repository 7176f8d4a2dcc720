import type { AmlItem, AmlReport } from '../../domain/reports/schemas.js';
import { flagStatuses, type Severity } from '../../domain/shared/vocabulary.js';

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
type CsvRow = Partial<Record<(typeof amlCsvColumns)[number], string | number | null>>;

/**
 * One RFC 4180 field. Names, codes and reasons come from users, and a spreadsheet runs a cell
 * that starts with = + - @ (or tab / CR, which some strip first) as a formula (OWASP "CSV
 * Injection"): such text gets a leading apostrophe. Plain numbers (a longitude of -70.1) are left
 * as they are, since they are data and no formula.
 */
function csvField(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const severityOrder: Severity[] = ['critical', 'high', 'medium', 'low'];

function csvRowOf(i: AmlItem): CsvRow {
  const rules = [...new Set(i.flags.map((f) => f.rule))];
  const raised = i.flags.map((f) => f.raisedAt);
  const common = {
    risk_level: i.riskLevel,
    subject_type: i.subjectType,
    code: i.code,
    id: i.id,
    status: i.status,
    rules: rules.join(';'),
    max_severity: severityOrder.find((s) => i.flags.some((f) => f.severity === s)),
    evidence_summary: i.flags.map((f) => `${f.rule}: ${f.summary}`).join(' | '),
    review_state: flagStatuses
      .filter((s) => i.reviewState[s] > 0)
      .map((s) => `${s}=${i.reviewState[s]}`)
      .join(';'),
    flag_count: i.flags.length,
    first_flagged_at: raised[0],
    last_flagged_at: raised[raised.length - 1],
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
      last_handover_at: last?.occurredAt,
      last_handover_operation: last?.operation,
      last_handover_to_tax_id: last?.to?.taxId,
      last_price_amount: last?.price?.amount,
      last_price_currency: last?.price?.currency,
      last_payment_method: last?.payment?.method,
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
    input: i.input,
    quantity: i.quantity,
    unit: i.unit,
    route: i.route,
    destination: d.kind === 'concession' ? `concession ${d.concessionCode}` : `point ${d.lon} ${d.lat}`,
  };
}

/**
 * The report as CSV: a header and one row per subject, CRLF line ends (RFC 4180). No UTF-8 byte
 * order mark: the FIU's tools (pandas, R, databases, csvkit) read UTF-8 as it is and some would
 * keep a BOM as part of the first column's name; spreadsheet users open it through the import
 * dialog, where they pick UTF-8 (as with any CSV whose names carry ñ and accents).
 */
export function amlCsv(report: AmlReport): string {
  const lines = [amlCsvColumns.join(',')];
  for (const i of report.items) {
    const row = csvRowOf(i);
    lines.push(amlCsvColumns.map((c) => csvField(row[c])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
