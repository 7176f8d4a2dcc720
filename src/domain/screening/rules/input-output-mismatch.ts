import { type SQL, sql } from 'drizzle-orm';
import { diversionBalanceSql, producerBalanceSql } from '../../reports/balances.js';
import { thresholds } from '../thresholds.js';
import { isRootLot } from './sql.js';
import type { LotRule, MovementRule } from './types.js';

const { inputs } = thresholds;
const n = (v: number) => sql`${String(v)}::numeric`;

/**
 * INPUT_OUTPUT_MISMATCH, gold side: the producer's fine gold registered in the window ending
 * with this lot's registration (this lot included) is at least minWindowFineG and more than the
 * mercury or the fuel it received (window + lead) could win (thresholds.inputs). Gold with no
 * inputs behind it is gold mined by someone else: the "facturador" selling others' gold under
 * its registration. Medium; high above 3× the smaller support, or with no input at all. The
 * inputs are not reference data (they arrive as movements), so it does not re-screen.
 */
export const inputOutputMismatch: LotRule = {
  code: 'INPUT_OUTPUT_MISMATCH',
  kind: 'lot',
  on: ['registration'],
  dependsOn: [],
  inheritable: true,
  screen: (lots) => sql`
    SELECT l.id AS subject_id,
           CASE WHEN (b.mercury_kg = 0 AND b.fuel_l = 0)
                  OR b.declared_fine_g > 3 * least(b.mercury_supports_fine_g, b.fuel_supports_fine_g)
                THEN 'high' ELSE 'medium' END AS severity,
           'window' AS fingerprint,
           jsonb_build_object(
             'producerId', l.producer_id, 'goldFrom', b.gold_from, 'inputsFrom', b.inputs_from, 'to', b.at,
             'declaredFineG', b.declared_fine_g::text, 'lotCount', b.lot_count,
             'mercuryKg', b.mercury_kg::text, 'fuelL', b.fuel_l::text,
             'mercurySupportsFineG', b.mercury_supports_fine_g::text,
             'fuelSupportsFineG', b.fuel_supports_fine_g::text,
             'mercuryRatio', b.mercury_ratio::text, 'fuelRatio', b.fuel_ratio::text,
             'windowDays', ${inputs.windowDays}::int, 'leadDays', ${inputs.leadDays}::int,
             'minMercuryKgPerKgGold', ${n(inputs.minMercuryKgPerKgGold)},
             'maxFineGPerLitre', ${n(inputs.maxFineGPerLitre)}, 'minWindowFineG', ${n(inputs.minWindowFineG)}
           ) AS evidence
      FROM lots l
      CROSS JOIN LATERAL (${producerBalanceSql(sql`l.producer_id`, sql`l.created_at`)}) b
     WHERE l.id IN (${lots}) AND ${isRootLot('l')} AND l.producer_id IS NOT NULL
       AND b.declared_fine_g >= ${n(inputs.minWindowFineG)}
       AND b.declared_fine_g > least(b.mercury_supports_fine_g, b.fuel_supports_fine_g)`,
  summarize: (e) =>
    `producer ${e.producerId} registered ${e.declaredFineG} g of fine gold (${e.lotCount} lots) from ${e.goldFrom} to ${e.to}, while the ${e.mercuryKg} kg of mercury and ${e.fuelL} L of fuel it received from ${e.inputsFrom} support ${e.mercurySupportsFineG} g and ${e.fuelSupportsFineG} g`,
};

/**
 * The diversion candidates among `movements` (a query yielding `id`), each judged at the instant
 * `at` (SQL over the movement `m`): the consignee received at least minDiversionMercuryKg of
 * mercury in the window that ended lagDays before `at`, and declared too little gold from the
 * start of that window until `at` — more than maxMercuryKgPerKgGold kg of mercury per kg of
 * gold, or no gold at all. `judged` says when in the evidence.
 */
const diversionSql = (movements: SQL, at: SQL, judged: 'at_declaration' | 'after_lag'): SQL => sql`
    SELECT m.id AS subject_id, 'high' AS severity, 'diversion' AS fingerprint,
           jsonb_build_object(
             'consigneeId', m.consignee_id, 'input', m.input, 'quantity', m.quantity::text, 'unit', m.unit,
             'inputsFrom', d.inputs_from, 'inputsTo', d.inputs_to, 'goldTo', d.at,
             'mercuryKg', d.mercury_kg::text, 'declaredFineG', d.declared_fine_g::text,
             'lotCount', d.lot_count, 'mercuryKgPerKgGold', d.mercury_kg_per_kg_gold::text,
             'maxMercuryKgPerKgGold', ${n(inputs.maxMercuryKgPerKgGold)},
             'minDiversionMercuryKg', ${n(inputs.minDiversionMercuryKg)},
             'windowDays', ${inputs.windowDays}::int, 'lagDays', ${inputs.lagDays}::int,
             'judged', ${judged}::text
           ) AS evidence
      FROM movements m
      CROSS JOIN LATERAL (${diversionBalanceSql(sql`m.consignee_id`, at)}) d
     WHERE m.id IN (${movements})
       AND d.mercury_kg >= ${n(inputs.minDiversionMercuryKg)}
       AND (d.declared_fine_g = 0 OR d.mercury_kg * 1000 > ${n(inputs.maxMercuryKgPerKgGold)} * d.declared_fine_g)`;

/**
 * INPUT_OUTPUT_MISMATCH, the reverse (diversion), at declaration: the consignee of a new
 * movement received, in the window that ended lagDays ago, mercury the gold it declared since
 * does not account for (diversionSql): the mercury went somewhere else (illegal mining, resale).
 * The new movement is flagged (high), so that it is checked before more is delivered. One flag
 * per movement. The new movement itself is inside the lag here; it is judged once its lag has
 * passed by `dueDiversionSql` (screening/due.ts).
 */
export const inputDiversion: MovementRule = {
  code: 'INPUT_OUTPUT_MISMATCH',
  kind: 'movement',
  on: ['declaration'],
  dependsOn: [],
  screen: (movements) => diversionSql(movements, sql`m.declared_at`, 'at_declaration'),
  summarize: (e) =>
    `consignee ${e.consigneeId} received ${e.mercuryKg} kg of mercury from ${e.inputsFrom} to ${e.inputsTo} but declared only ${e.declaredFineG} g of fine gold until ${e.goldTo} (${e.mercuryKgPerKgGold ?? 'no gold'} kg Hg per kg gold; limit ${e.maxMercuryKgPerKgGold})${e.judged === 'after_lag' ? `, judged once the ${e.lagDays}-day lag after this delivery had passed` : ''}`,
};

/**
 * Diversion judged once a movement's lag has passed: the movement (its mercury now among the
 * inputs) judged at its declaration + lagDays, the instant its gold was due. The answer is the
 * same whenever the judgement runs after that instant (gold registered later does not count), so
 * one judgement per movement suffices; its fingerprint is the declaration's, so a movement
 * already flagged when declared is not flagged twice.
 */
export const dueDiversionSql = (movements: SQL): SQL =>
  diversionSql(movements, sql`m.declared_at + make_interval(days => ${inputs.lagDays}::int)`, 'after_lag');
