import { type SQL, sql } from 'drizzle-orm';
import type { InputUnit } from '../../shared/vocabulary.js';
import { thresholds } from '../thresholds.js';
import type { Evidence, InspectionRule, ScanRule } from './types.js';

/** Beyond this many tolerances the difference is no weighing error: critical. */
const criticalMultiple = 10;

/**
 * The tolerance in thousandths (mg or mL), exactly as the verdicts compute it (quantityReason in
 * screening/verdict.ts, which the server and the checkpoint device share): max(declared × percent, minimum), the
 * percentage of the declared thousandths truncated to a whole thousandth, in numeric, never floats.
 */
const toleranceMilli = (declared: SQL, percent: number, minimum: string): SQL =>
  sql`greatest(div((${declared}) * 1000 * ${Math.round(percent * 1000)}::numeric, 100000), ${minimum}::numeric * 1000)`;

const severityOf = (diffMilli: string, tolMilli: string): SQL =>
  sql.raw(
    `(CASE WHEN abs(${diffMilli}) > ${criticalMultiple} * ${tolMilli} THEN 'critical' ELSE 'high' END)`,
  );

const summarize = (e: Evidence): string => {
  const where = e.checkpointCode ? ` at ${e.checkpointCode}` : '';
  const what = e.record === 'inspection' ? `movement ${e.movementCode}` : `lot ${e.lotCode}`;
  return `${what} weighed${where} ${e.observed} ${e.unit} against ${e.declared} ${e.unit} declared: ${e.difference} ${e.unit} off, beyond the tolerance of ${e.tolerance} ${e.unit}`;
};

/**
 * WEIGHT_DISCREPANCY at a scan: the lot weighed at a checkpoint differs from its declared gross
 * weight beyond the scale tolerance (thresholds.scan, OIML R 76-1): gold added, removed or
 * swapped. Critical beyond ten tolerances. Passes to lots made from the lot.
 */
export const weightDiscrepancyAtScan: ScanRule = {
  code: 'WEIGHT_DISCREPANCY',
  kind: 'scan',
  inheritable: true,
  screen: (scan) => sql`
    SELECT w.id AS subject_id, ${severityOf('w.diff', 'w.tol')} AS severity,
           ${scan.scanId}::text AS fingerprint,
           jsonb_build_object(
             'record', 'scan', 'scanId', ${scan.scanId}::uuid, 'lotCode', w.code,
             'declared', w.declared::text, 'observed', w.observed::text,
             'difference', round(w.diff / 1000, 3)::text, 'tolerance', round(w.tol / 1000, 3)::text, 'unit', 'g',
             'checkpointId', cp.id, 'checkpointCode', cp.code, 'checkpointName', cp.name,
             'occurredAt', ${scan.occurredAt}::timestamptz
           ) AS evidence
      FROM (
        SELECT l.id, l.code, l.gross_weight_g AS declared, o.observed,
               (o.observed - l.gross_weight_g) * 1000 AS diff,
               ${toleranceMilli(sql`l.gross_weight_g`, thresholds.scan.weightTolerancePercent, thresholds.scan.weightToleranceMinG)} AS tol
          FROM lots l, (SELECT ${scan.observedGrossWeightG}::numeric(14,3) AS observed) o
         WHERE l.id = ${scan.lotId}::uuid AND o.observed IS NOT NULL
      ) w
      JOIN checkpoints cp ON cp.id = ${scan.checkpointId}::uuid
     WHERE abs(w.diff) > w.tol`,
  summarize,
};

const inspectionTolerance = (unit: InputUnit) => {
  const t = thresholds.inspection[unit];
  return toleranceMilli(sql`m.quantity`, t.tolerancePercent, t.toleranceMin);
};

/**
 * WEIGHT_DISCREPANCY at an inspection: a consignment of mercury or fuel holds other than declared
 * beyond the tolerance of its unit (thresholds.inspection: scale error for kg, thermal expansion
 * and meter error for L): part of it diverted, or more carried than declared. Critical beyond
 * ten tolerances.
 */
export const weightDiscrepancyAtInspection: InspectionRule = {
  code: 'WEIGHT_DISCREPANCY',
  kind: 'inspection',
  screen: (inspection) => sql`
    SELECT w.id AS subject_id, ${severityOf('w.diff', 'w.tol')} AS severity,
           ${inspection.inspectionId}::text AS fingerprint,
           jsonb_build_object(
             'record', 'inspection', 'inspectionId', ${inspection.inspectionId}::uuid,
             'movementCode', w.code, 'input', w.input,
             'declared', w.quantity::text, 'observed', w.observed::text,
             'difference', round(w.diff / 1000, 3)::text, 'tolerance', round(w.tol / 1000, 3)::text, 'unit', w.unit,
             'checkpointId', cp.id, 'checkpointCode', cp.code, 'checkpointName', cp.name,
             'occurredAt', ${inspection.occurredAt}::timestamptz
           ) AS evidence
      FROM (
        SELECT m.id, m.code, m.input, m.unit, m.quantity, o.observed,
               (o.observed - m.quantity) * 1000 AS diff,
               CASE m.unit WHEN 'kg' THEN ${inspectionTolerance('kg')} ELSE ${inspectionTolerance('L')} END AS tol
          FROM movements m, (SELECT ${inspection.observedQuantity}::numeric(14,3) AS observed) o
         WHERE m.id = ${inspection.movementId}::uuid
      ) w
      JOIN checkpoints cp ON cp.id = ${inspection.checkpointId}::uuid
     WHERE abs(w.diff) > w.tol`,
  summarize,
};
