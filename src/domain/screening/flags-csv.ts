import { csvField } from '../shared/csv.js';
import { flagStatusWords, ruleWords, severityWords, subjectTypeWords } from '../shared/words.js';
import type { FlagListItem } from './schemas.js';

/**
 * The flag queue as a spreadsheet (GET /v1/flags?format=csv): one row per flag, headers and
 * values in words — Spanish unless English is asked for — since the people who open it in Excel
 * read words, not the API's codes (the rule's code stays in a column of its own, for lookups).
 * RFC 4180 (CRLF, quotes doubled), UTF-8 with a byte-order mark: without it Excel reads the
 * file as the system's code page and garbles every accent.
 * The words are the ones every app shows (domain/shared/words.ts).
 */

export const csvLangs = ['es', 'en'] as const;
type CsvLang = (typeof csvLangs)[number];

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

function rowOf(f: FlagListItem, lang: CsvLang): Record<Column, string> {
  return {
    severity: severityWords[lang][f.severity],
    rule: ruleWords[lang][f.rule] ?? f.rule,
    subjectType: subjectTypeWords[lang][f.subjectType],
    subjectCode: f.subjectCode ?? '',
    status: flagStatusWords[lang][f.status],
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
