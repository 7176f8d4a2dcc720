import { sql } from 'drizzle-orm';
import { thresholds } from '../thresholds.js';
import type { Evidence, LotRule } from './types.js';

const { weightTolerancePercent: percent, weightToleranceMinG: minimum } = thresholds.receipt;

/**
 * EXPORT_RECEIPT_MISMATCH: a partner abroad (a refinery) reports, through EPCIS capture, receiving
 * one of our lots (epcis/receipts.ts writes a `lot.receipt_reported` event on the lot), and the
 * receipt does not match the export: the lot was never exported — gold that left without an
 * export declaration, or a GIAI copied onto other gold — or the mass received differs from the
 * weight exported beyond the tolerance of two precision weighings (thresholds.receipt): gold taken
 * off or added in transit, or another bar under the exported one's identity. The paper trail's
 * last link checked against the physical one, as the OECD Due Diligence Guidance for gold
 * (Annex II, step 2) asks refiners to reconcile shipments. A receipt that matches raises nothing.
 *
 * One flag per receipt (its ledger event is the fingerprint), high severity; not inherited, as
 * an exported lot has no descendants in this ledger.
 */
export const exportReceiptMismatch: LotRule = {
  code: 'EXPORT_RECEIPT_MISMATCH',
  kind: 'lot',
  on: ['receipt'],
  dependsOn: [],
  inheritable: false,
  screen: (lots) => sql`
    SELECT m.lot_id AS subject_id, 'high' AS severity, m.receipt_id::text AS fingerprint,
           jsonb_build_object(
             'finding', CASE WHEN m.exported_seq IS NULL THEN 'not_exported' ELSE 'weight' END,
             'lotCode', m.code, 'lotStatus', m.status, 'eventID', m.event_id, 'bizStep', m.biz_step,
             'receivedBy', m.received_by, 'receivedAt', m.received_at,
             'exportedGrossWeightG', CASE WHEN m.exported_seq IS NULL THEN NULL ELSE m.declared::text END,
             'receivedGrossWeightG', round(m.observed, 3)::text,
             'difference', round(m.observed - m.declared, 3)::text,
             'tolerance', round(m.tol, 3)::text, 'unit', 'g'
           ) AS evidence
      FROM (
        SELECT l.id AS lot_id, l.code, l.status, l.gross_weight_g AS declared, r.id AS receipt_id,
               r.payload ->> 'eventID' AS event_id, r.payload ->> 'bizStep' AS biz_step,
               r.actor_id AS received_by, r.occurred_at AS received_at,
               x.seq AS exported_seq,
               (r.payload ->> 'receivedGrossWeightG')::numeric AS observed,
               greatest(l.gross_weight_g * ${percent}::numeric / 100, ${minimum}::numeric) AS tol
          FROM lots l
          JOIN events r ON r.subject_type = 'lot' AND r.subject_id = l.id AND r.type = 'lot.receipt_reported'
          LEFT JOIN LATERAL (
            SELECT x.seq FROM events x
             WHERE x.subject_type = 'lot' AND x.subject_id = l.id AND x.type = 'lot.exported' AND x.seq < r.seq
             LIMIT 1) x ON true
         WHERE l.id IN (${lots})
      ) m
     WHERE m.exported_seq IS NULL OR (m.observed IS NOT NULL AND abs(m.observed - m.declared) > m.tol)`,
  summarize: (e: Evidence) =>
    e.finding === 'not_exported'
      ? `lot ${e.lotCode} reported received abroad (${e.eventID}) but never exported (status ${e.lotStatus})`
      : `lot ${e.lotCode} received abroad weighing ${e.receivedGrossWeightG} g against ${e.exportedGrossWeightG} g exported: ${e.difference} g off, beyond the tolerance of ${e.tolerance} g`,
};
