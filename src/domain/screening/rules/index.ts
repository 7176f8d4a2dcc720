import type { SubjectType } from '../../shared/vocabulary.js';
import { cashAboveThreshold } from './cash-above-threshold.js';
import { concessionNotValidMining } from './concession-not-valid-mining.js';
import { concessionOverlapsOtherRights } from './concession-overlaps-other-rights.js';
import { consigneeNotAuthorized } from './consignee-not-authorized.js';
import { custodianNotRegistered } from './custodian-not-registered.js';
import { destinationInExclusionZone } from './destination-in-exclusion-zone.js';
import { exportReceiptMismatch } from './export-receipt-mismatch.js';
import { inputDiversion, inputOutputMismatch } from './input-output-mismatch.js';
import { miningMethodForbidden } from './mining-method-forbidden.js';
import { noMiningFootprint } from './no-mining-footprint.js';
import { offRoute } from './off-route.js';
import { originFarFromFootprint } from './origin-far-from-footprint.js';
import { originInExclusionZone } from './origin-in-exclusion-zone.js';
import { originOutsideConcession } from './origin-outside-concession.js';
import { originOutsideMiningCorridor } from './origin-outside-mining-corridor.js';
import { overQuota } from './over-quota.js';
import { priceAnomaly } from './price-anomaly.js';
import { producerNotFormalized } from './producer-not-formalized.js';
import { producerNotOperator } from './producer-not-operator.js';
import { productionOverCapacity } from './production-over-capacity.js';
import { qrCloned } from './qr-cloned.js';
import { structuringRule } from './structuring.js';
import { type Rule, subjectOf } from './types.js';
import { weightDiscrepancyAtInspection, weightDiscrepancyAtScan } from './weight-discrepancy.js';

/**
 * Every screening rule, in one list (DESIGN "Risk screening"). A rule is one module with its own
 * test; the engine (screening/engine.ts) runs those registered for a write inside that write, and
 * screening/rescreen.ts runs again those that depend on reference data that changed.
 */
export const rules: readonly Rule[] = [
  originInExclusionZone,
  producerNotFormalized,
  producerNotOperator,
  custodianNotRegistered,
  originOutsideConcession,
  concessionNotValidMining,
  concessionOverlapsOtherRights,
  productionOverCapacity,
  inputOutputMismatch,
  inputDiversion,
  structuringRule,
  qrCloned,
  weightDiscrepancyAtScan,
  weightDiscrepancyAtInspection,
  consigneeNotAuthorized,
  destinationInExclusionZone,
  overQuota,
  offRoute,
  cashAboveThreshold,
  priceAnomaly,
  noMiningFootprint,
  originFarFromFootprint,
  exportReceiptMismatch,
  originOutsideMiningCorridor,
  miningMethodForbidden,
];

/**
 * The rule that raised a flag on a subject of this type: one code may have a lot variant and a
 * movement, scan or inspection variant, each with its own evidence and summary.
 */
export const ruleFor = (code: string, subjectType: SubjectType): Rule | undefined =>
  rules.find((r) => r.code === code && subjectOf(r) === subjectType);
