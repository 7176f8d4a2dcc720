import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Queryable, rowsOf } from '../../db/client.js';
import { type RiskLevel, riskLevelOf } from '../screening/flags.js';
import { ruleFor } from '../screening/rules/index.js';
import { thresholds } from '../screening/thresholds.js';
import { daySchema } from '../shared/dates.js';
import { toMilli } from '../shared/grams.js';
import {
  type FlagStatus,
  flagStatuses,
  type Severity,
  type SubjectType,
  severities,
} from '../shared/vocabulary.js';
import { wordLanguages } from '../shared/words.js';
import type { AmlFlag, AmlItem, AmlReport } from './schemas.js';

/**
 * The AML report (DESIGN "Risk screening"): every lot and movement with at least
 * one flag raised in a period, with its actors (tax ids), weights, origin, the flags of the period
 * with a one-sentence evidence summary and their review, sorted by risk — what a financial
 * intelligence unit is handed. A lot carries its money trail: every hand-over (transfer, export)
 * with the price, payment and invoice declared, oldest first.
 *
 * Which flags: those raised (created_at, UTC) from `from` 00:00 to the end of `to`, inherited
 * copies included (a split child carries its parent's gold and the flag with it, raised when the
 * child was made). `riskLevel` is the subject's risk when the report is generated — the highest
 * severity among ALL its unresolved flags, as GET /v1/lots/:id shows it — so a lot flagged in the
 * period and again later ranks by what is known now; `flagsOutsidePeriod` says how many flags
 * that covers beyond the listed ones.
 */

const amlFormats = ['json', 'csv'] as const;
const maxDays = 366;
const defaultDays = 30;
const dayMs = 86_400_000;

const dayOf = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (day: string, n: number) => dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + n * dayMs));
const daysBetween = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / dayMs);

/** The period asked for, with the defaults: to = today (UTC), from = the 30 days ending on `to`. */
function amlPeriod(q: { from?: string | undefined; to?: string | undefined }, now = new Date()) {
  const to = q.to ?? dayOf(now);
  const from = q.from ?? addDays(to, -(defaultDays - 1));
  return { from, to };
}

export const amlQuery = z
  .object({
    from: daySchema.optional(),
    to: daySchema.optional(),
    format: z.enum(amlFormats).default('json'),
    /**
     * The CSV's language: Spanish headers and words (the default, for the UIF-Perú's LA/FT
     * analysts) or English (the stable column ids). The JSON is the same in both.
     */
    lang: z.enum(wordLanguages).default('es'),
  })
  .superRefine((q, ctx) => {
    // zod runs this even when a day above was refused; the period is only judged between days.
    if ([q.from, q.to].some((d) => d !== undefined && !daySchema.safeParse(d).success)) return;
    const { from, to } = amlPeriod(q);
    if (from > to) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: `from (${from}) is after to (${to})` });
    } else if (daysBetween(from, to) + 1 > maxDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `the period spans ${daysBetween(from, to) + 1} days; at most ${maxDays}`,
      });
    }
  });
export type AmlQuery = z.infer<typeof amlQuery>;

interface Row {
  subject_type: SubjectType;
  subject_id: string;
  flags: Omit<AmlFlag, 'summary'>[];
  all_flags: { severity: Severity; status: FlagStatus }[];
  // biome-ignore lint/suspicious/noExplicitAny: the subject's columns, shaped as JSON by the query below
  subject: any;
}

const isoUtc = (col: string) =>
  sql.raw(`to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
const actorJson = (a: string) =>
  sql.raw(
    `CASE WHEN ${a}.id IS NULL THEN NULL ELSE jsonb_build_object('id', ${a}.id, 'taxId', ${a}.tax_id, 'name', ${a}.name) END`,
  );

/**
 * One query: the subjects with a flag in the period, their flags aggregated (those of the period
 * in full, all of them as severity and status for the risk level), joined to their lot or
 * movement and its actors and concession. Timestamps and numerics leave PostgreSQL as text, so
 * weights stay exact and times read the same on PGlite and postgres.js.
 */
async function flaggedSubjects(db: Queryable, from: string, to: string): Promise<Row[]> {
  const start = `${from}T00:00:00Z`;
  const end = `${addDays(to, 1)}T00:00:00Z`;
  const inPeriod = sql`f.created_at >= ${start}::timestamptz AND f.created_at < ${end}::timestamptz`;
  return rowsOf<Row>(
    await db.execute(sql`
      WITH subjects AS (
        SELECT DISTINCT f.subject_type, f.subject_id FROM flags f WHERE ${inPeriod}
      ),
      agg AS (
        SELECT s.subject_type, s.subject_id,
               jsonb_agg(jsonb_build_object(
                 'id', f.id, 'rule', f.rule, 'severity', f.severity, 'status', f.status,
                 'inheritedFrom', f.inherited_from, 'raisedAt', ${isoUtc('f.created_at')},
                 'reviewedBy', f.reviewed_by, 'reviewReason', f.review_reason,
                 'reviewedAt', ${isoUtc('f.reviewed_at')}, 'evidence', f.evidence
               ) ORDER BY f.created_at, f.id) FILTER (WHERE ${inPeriod}) AS flags,
               jsonb_agg(jsonb_build_object('severity', f.severity, 'status', f.status)) AS all_flags
          FROM subjects s
          JOIN flags f ON f.subject_type = s.subject_type AND f.subject_id = s.subject_id
         GROUP BY s.subject_type, s.subject_id
      )
      SELECT a.subject_type, a.subject_id, a.flags, a.all_flags,
             CASE WHEN l.id IS NOT NULL THEN jsonb_build_object(
               'code', l.code, 'status', l.status,
               'producer', ${actorJson('p')}, 'custodian', ${actorJson('cu')},
               'concession', CASE WHEN c.id IS NULL THEN NULL
                                  ELSE jsonb_build_object('id', c.id, 'code', c.code, 'name', c.name) END,
               'origin', CASE WHEN l.origin IS NULL THEN NULL
                              ELSE jsonb_build_object('lon', ST_X(l.origin), 'lat', ST_Y(l.origin)) END,
               'extractedOn', l.extracted_on::text,
               'grossWeightG', l.gross_weight_g::text, 'fineWeightG', l.fine_weight_g::text,
               'exportedOn', l.exported_on::text, 'destinationCountry', l.destination_country,
               'customsDeclaration', l.customs_declaration,
               'handOvers', coalesce((
                 SELECT jsonb_agg(jsonb_build_object(
                   'id', t.id, 'operation', t.operation, 'occurredAt', ${isoUtc('t.occurred_at')},
                   'from', ${actorJson('tf')}, 'to', ${actorJson('tt')},
                   'grossWeightG', t.gross_weight_g::text, 'fineWeightG', t.fine_weight_g::text,
                   'price', CASE WHEN t.price_amount IS NULL THEN NULL ELSE jsonb_build_object(
                     'amount', t.price_amount::text, 'currency', t.price_currency) END,
                   'payment', CASE WHEN t.payment_method IS NULL THEN NULL ELSE jsonb_build_object(
                     'method', t.payment_method, 'reference', t.payment_reference) END,
                   'invoice', CASE WHEN t.invoice_number IS NULL THEN NULL ELSE jsonb_build_object(
                     'number', t.invoice_number, 'issuedOn', t.invoice_issued_on::text) END
                 ) ORDER BY t.occurred_at, t.id)
                   FROM lot_transfers t
                   JOIN actors tf ON tf.id = t.from_actor_id
                   LEFT JOIN actors tt ON tt.id = t.to_actor_id
                  WHERE t.lot_id = l.id), '[]'::jsonb))
             ELSE jsonb_build_object(
               'code', m.code, 'status', m.status,
               'consignor', ${actorJson('cr')}, 'consignee', ${actorJson('ce')},
               'input', m.input, 'quantity', m.quantity::text, 'unit', m.unit, 'route', m.route,
               'destination', CASE WHEN dc.id IS NOT NULL
                 THEN jsonb_build_object('kind', 'concession', 'concessionId', dc.id, 'concessionCode', dc.code)
                 ELSE jsonb_build_object('kind', 'point', 'lon', ST_X(m.destination_point),
                                         'lat', ST_Y(m.destination_point)) END)
             END AS subject
        FROM agg a
        LEFT JOIN lots l ON a.subject_type = 'lot' AND l.id = a.subject_id
        LEFT JOIN actors p ON p.id = l.producer_id
        LEFT JOIN actors cu ON cu.id = l.custodian_id
        LEFT JOIN concessions c ON c.id = l.concession_id
        LEFT JOIN movements m ON a.subject_type = 'movement' AND m.id = a.subject_id
        LEFT JOIN actors cr ON cr.id = m.consignor_id
        LEFT JOIN actors ce ON ce.id = m.consignee_id
        LEFT JOIN concessions dc ON dc.id = m.destination_concession_id
       WHERE l.id IS NOT NULL OR m.id IS NOT NULL`),
  );
}

/**
 * The rule's sentence for a flag's evidence. Flags are never deleted, so evidence written by an
 * older version of a rule (or by a rule since withdrawn) must not sink the whole report: it falls
 * back to the evidence itself.
 */
function summarize(flag: Omit<AmlFlag, 'summary'>, subjectType: SubjectType): string {
  const rule = ruleFor(flag.rule, subjectType);
  let sentence = `evidence ${JSON.stringify(flag.evidence)}`;
  try {
    if (rule) sentence = rule.summarize(flag.evidence);
  } catch {}
  const source = flag.evidence.sourceLotId;
  return flag.inheritedFrom && typeof source === 'string'
    ? `${sentence} (inherited from lot ${source})`
    : sentence;
}

const riskRank: Record<RiskLevel, number> = { critical: 0, high: 1, medium: 2, low: 3, none: 4 };
const magnitude = (i: AmlItem) => toMilli(i.subjectType === 'lot' ? i.fineWeightG : i.quantity);

/**
 * Critical first, then high, medium, low, none; within a level lots before movements (grams of
 * gold and litres of diesel do not compare), the most gold or input first, then by code.
 */
function compareAmlItems(a: AmlItem, b: AmlItem): number {
  const byRisk = riskRank[a.riskLevel] - riskRank[b.riskLevel];
  if (byRisk !== 0) return byRisk;
  if (a.subjectType !== b.subjectType) return a.subjectType === 'lot' ? -1 : 1;
  const ma = magnitude(a);
  const mb = magnitude(b);
  if (ma !== mb) return ma > mb ? -1 : 1;
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

function itemOf(row: Row): AmlItem {
  const flags = row.flags.map((f) => ({ ...f, summary: summarize(f, row.subject_type) }));
  const reviewState = Object.fromEntries(flagStatuses.map((s) => [s, 0])) as Record<FlagStatus, number>;
  for (const f of flags) reviewState[f.status]++;
  const base = {
    id: row.subject_id,
    riskLevel: riskLevelOf(row.all_flags),
    reviewState,
    flagsOutsidePeriod: row.all_flags.length - flags.length,
    flags,
  };
  const s = row.subject;
  if (row.subject_type === 'lot') {
    const exported = s.exportedOn || s.destinationCountry || s.customsDeclaration;
    return {
      subjectType: 'lot',
      code: s.code,
      status: s.status,
      ...base,
      producer: s.producer,
      custodian: s.custodian,
      concession: s.concession,
      origin: s.origin,
      extractedOn: s.extractedOn,
      grossWeightG: s.grossWeightG,
      fineWeightG: s.fineWeightG,
      export: exported
        ? {
            exportedOn: s.exportedOn,
            destinationCountry: s.destinationCountry,
            customsDeclaration: s.customsDeclaration,
          }
        : null,
      handOvers: s.handOvers,
    };
  }
  return {
    subjectType: 'movement',
    code: s.code,
    status: s.status,
    ...base,
    consignor: s.consignor,
    consignee: s.consignee,
    input: s.input,
    quantity: s.quantity,
    unit: s.unit,
    route: s.route,
    destination: s.destination,
  };
}

export async function amlReport(
  db: Queryable,
  q: Pick<AmlQuery, 'from' | 'to'>,
  now = new Date(),
): Promise<AmlReport> {
  const { from, to } = amlPeriod(q, now);
  const items = (await flaggedSubjects(db, from, to)).map(itemOf).sort(compareAmlItems);
  const bySeverity = Object.fromEntries(severities.map((s) => [s, 0])) as Record<Severity, number>;
  let flagCount = 0;
  for (const i of items) {
    for (const f of i.flags) {
      bySeverity[f.severity]++;
      flagCount++;
    }
  }
  return {
    from,
    to,
    generatedAt: now.toISOString(),
    thresholdsVersion: thresholds.version,
    totals: {
      lots: items.filter((i) => i.subjectType === 'lot').length,
      movements: items.filter((i) => i.subjectType === 'movement').length,
      flags: flagCount,
      bySeverity,
    },
    items,
  };
}
