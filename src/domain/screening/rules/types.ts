import type { SQL } from 'drizzle-orm';
import type { RuleCode, SubjectType } from '../../shared/vocabulary.js';

/** Reference data a rule's answer depends on: when it changes, the rule re-screens (screening/rescreen.ts). */
export type Dependency = 'zones' | 'registrations' | 'concessions' | 'detections' | 'categories';

export type Evidence = Record<string, unknown>;

/**
 * Every rule is SQL: given the subjects to screen, a query yielding one row per flag to raise,
 * with exactly these columns, in this order:
 *   subject_id uuid, severity text ('low'..'critical'), fingerprint text, evidence jsonb
 * The engine raises them in one INSERT … ON CONFLICT DO NOTHING over (subject, rule,
 * fingerprint): the fingerprint names what fired the rule (a zone id, the registration in force,
 * a scan id), so running a rule again over the same facts never raises the same flag twice,
 * while a new cause (another zone, a later revocation) raises a new one. The same SQL screens
 * one lot inside its registration and a hundred thousand in a re-screening.
 */
interface RuleBase {
  code: RuleCode;
  /** One sentence a regulator can read, from a flag's evidence (AML report, CSV). */
  summarize(evidence: Evidence): string;
}

/** Screens lots, given `lots`: a query yielding one column `id` (the lots to screen). */
export interface LotRule extends RuleBase {
  kind: 'lot';
  /**
   * The writes that run it: lot registration, custody change (transfer), export (the lot leaves
   * the country: its last hand-over, with no receiving actor in the ledger), receipt (a partner
   * abroad reports receiving it, through EPCIS capture).
   */
  on: readonly ('registration' | 'custody' | 'export' | 'receipt')[];
  dependsOn: readonly Dependency[];
  /** Whether its flags pass to lots made from the flagged one (split, merge, refine). */
  inheritable: boolean;
  screen(lots: SQL): SQL;
}

/** Screens movements, given `movements`: a query yielding one column `id`. */
export interface MovementRule extends RuleBase {
  kind: 'movement';
  on: readonly 'declaration'[];
  dependsOn: readonly Dependency[];
  screen(movements: SQL): SQL;
}

/**
 * A scan about to be recorded (rules run before it is written, so its verdict counts their
 * flags), as SQL values: the engine runs the scan rules as one prepared statement and passes
 * these as its parameters. Each is to be cast where used (`${scan.lotId}::uuid`).
 */
export interface ScanFacts {
  scanId: SQL;
  lotId: SQL;
  checkpointId: SQL;
  /** timestamptz as text */
  occurredAt: SQL;
  /** numeric as text, or null */
  observedGrossWeightG: SQL;
}

/** Screens the lot of a scan; yields lot flags. */
export interface ScanRule extends RuleBase {
  kind: 'scan';
  inheritable: boolean;
  screen(scan: ScanFacts): SQL;
}

/** An inspection about to be recorded, as SQL values (see ScanFacts). */
export interface InspectionFacts {
  inspectionId: SQL;
  movementId: SQL;
  checkpointId: SQL;
  /** timestamptz as text */
  occurredAt: SQL;
  /** numeric as text */
  observedQuantity: SQL;
}

/** Screens the movement of an inspection; yields movement flags. */
export interface InspectionRule extends RuleBase {
  kind: 'inspection';
  screen(inspection: InspectionFacts): SQL;
}

export type Rule = LotRule | MovementRule | ScanRule | InspectionRule;

/** The subject type of the flags a rule raises. */
export const subjectOf = (rule: Rule): SubjectType =>
  rule.kind === 'lot' || rule.kind === 'scan' ? 'lot' : 'movement';
