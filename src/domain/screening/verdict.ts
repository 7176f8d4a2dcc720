/**
 * The verdict at a checkpoint — pass or hold, and why — as plain functions over plain values,
 * so that the server (lots/scans.ts, inputs/inspections.ts) and the checkpoint device deciding offline
 * (src/web/checkpoint) reach the same verdict from the same facts. No database, no zod: this
 * module is bundled into the phone app, so it imports only types and pure modules.
 */

import { fromMilli as decimal, toMilli as milli } from '../shared/grams.js';
import type {
  FlagStatus,
  InputUnit,
  InspectionOutcome,
  LotStatus,
  MovementStatus,
  RuleCode,
  Severity,
} from '../shared/vocabulary.js';
import { isUnresolved } from './flag-status.js';
import { thresholds } from './thresholds.js';

/** What of a flag a verdict reads. */
export interface VerdictFlag {
  rule: RuleCode;
  severity: Severity;
  status: FlagStatus;
}

/** One reason to hold, as data: the server words it in English, the device in the officer's language. */
export type HoldReason =
  | { kind: 'lot_status'; status: LotStatus }
  | { kind: 'movement_status'; status: MovementStatus }
  | { kind: 'outcome'; outcome: InspectionOutcome }
  | ({ kind: 'flag' } & VerdictFlag)
  | { kind: 'quantity'; observed: string; declared: string; tolerance: string; unit: 'g' | InputUnit };

/**
 * A flag still weighs on its subject while it is open or escalated (see flags.ts, which says why);
 * only high and critical ones hold gold or inputs at a checkpoint.
 */
const holdsAtCheckpoint = (f: VerdictFlag): boolean =>
  isUnresolved(f.status) && (f.severity === 'high' || f.severity === 'critical');

/**
 * The weighing tolerance, in the unit's thousandths: max(declared × percent, minimum), the
 * percentage truncated to a whole thousandth (rules/weight-discrepancy.ts computes it the same way).
 */
function quantityReason(
  observed: string,
  declared: string,
  t: { tolerancePercent: number; toleranceMin: string },
  unit: 'g' | InputUnit,
): HoldReason | undefined {
  const d = milli(declared);
  const diff = milli(observed) - d;
  const byPercent = (d * BigInt(Math.round(t.tolerancePercent * 1000))) / 100_000n;
  const minimum = milli(t.toleranceMin);
  const tolerance = byPercent > minimum ? byPercent : minimum;
  if ((diff < 0n ? -diff : diff) <= tolerance) return undefined;
  return { kind: 'quantity', observed, declared, tolerance: decimal(tolerance), unit };
}

/** Why a lot must be held at a checkpoint; none: it passes. `observedG` has three decimals. */
export function lotHoldReasons(
  lot: { status: LotStatus; grossWeightG: string; flags: VerdictFlag[] },
  observedG?: string,
): HoldReason[] {
  const reasons: HoldReason[] = [];
  if (lot.status !== 'active') reasons.push({ kind: 'lot_status', status: lot.status });
  for (const f of lot.flags) {
    if (holdsAtCheckpoint(f))
      reasons.push({ kind: 'flag', rule: f.rule, severity: f.severity, status: f.status });
  }
  if (observedG !== undefined) {
    const { weightTolerancePercent, weightToleranceMinG } = thresholds.scan;
    const r = quantityReason(
      observedG,
      lot.grossWeightG,
      { tolerancePercent: weightTolerancePercent, toleranceMin: weightToleranceMinG },
      'g',
    );
    if (r) reasons.push(r);
  }
  return reasons;
}

/** Why a movement must be held at a checkpoint given what the inspector found; none: it passes. */
export function movementHoldReasons(
  m: { status: MovementStatus; quantity: string; unit: InputUnit },
  openFlags: VerdictFlag[],
  input: { observedQuantity: string; outcome: InspectionOutcome },
): HoldReason[] {
  const reasons: HoldReason[] = [];
  if (input.outcome !== 'passed') reasons.push({ kind: 'outcome', outcome: input.outcome });
  if (m.status === 'delivered' || m.status === 'seized')
    reasons.push({ kind: 'movement_status', status: m.status });
  for (const f of openFlags) {
    if (holdsAtCheckpoint(f))
      reasons.push({ kind: 'flag', rule: f.rule, severity: f.severity, status: f.status });
  }
  const r = quantityReason(input.observedQuantity, m.quantity, thresholds.inspection[m.unit], m.unit);
  if (r) reasons.push(r);
  return reasons;
}

/** A reason in the words the API stores and answers (English). */
export function reasonText(r: HoldReason): string {
  switch (r.kind) {
    case 'lot_status':
      return `lot is ${r.status}`;
    case 'movement_status':
      return `movement is already ${r.status}`;
    case 'outcome':
      return `the inspector recorded ${r.outcome}`;
    case 'flag':
      return `${r.status} ${r.severity} flag ${r.rule}`;
    case 'quantity':
      return `observed ${r.observed} ${r.unit} differs from the declared ${r.declared} ${r.unit} by more than ${r.tolerance} ${r.unit}`;
  }
}
