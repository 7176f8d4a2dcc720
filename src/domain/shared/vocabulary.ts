/**
 * The fixed words of the business: every closed list of values the API, the database and the
 * apps agree on, written once. This module imports nothing, so the table definitions, the
 * domain, the routes and the browser bundles can all take their lists from here without
 * pulling zod or drizzle along.
 */

export const roles = ['checkpoint', 'exporter', 'regulator', 'admin'] as const;
export type Role = (typeof roles)[number];

export const actorKinds = [
  'miner',
  'processor',
  'trader',
  'exporter',
  'supplier',
  'transporter',
  'refiner',
  'other',
] as const;
export type ActorKind = (typeof actorKinds)[number];

export const registries = ['formalization', 'trader', 'controlled_inputs'] as const;
export type Registry = (typeof registries)[number];

export const controlledInputs = ['mercury', 'diesel', 'gasoline'] as const;
export type ControlledInput = (typeof controlledInputs)[number];

/** Mercury is counted in kilograms, fuel in litres. */
export const inputUnits = ['kg', 'L'] as const;
export type InputUnit = (typeof inputUnits)[number];

export const concessionKinds = [
  'mining',
  'timber',
  'reforestation',
  'ecotourism',
  'chestnut',
  'agriculture',
  'conservation',
  'other',
] as const;
export type ConcessionKind = (typeof concessionKinds)[number];

export const concessionStatuses = ['titled', 'in_process', 'expired', 'cancelled'] as const;
export type ConcessionStatus = (typeof concessionStatuses)[number];

export const zoneKinds = [
  'protected_area',
  'buffer_zone',
  'mining_exclusion',
  'indigenous_territory',
  'other',
  // Zones that allow rather than forbid: a declared mining corridor, a micro-zoning unit.
  'mining_corridor',
  'micro_zoning',
] as const;
export type ZoneKind = (typeof zoneKinds)[number];

/** Zone kinds that permit: never an exclusion, whatever else they are. */
export const allowingZoneKinds = ['mining_corridor', 'micro_zoning'] as const satisfies readonly ZoneKind[];

/** The uses a micro-zoning unit (ZEE/micro-ZEE) may permit. */
export const permittedUses = [
  'mining',
  'forestry',
  'agriculture',
  'conservation',
  'tourism',
  'urban',
  'other',
] as const;
export type PermittedUse = (typeof permittedUses)[number];

/**
 * A miner's legal category (TUO de la Ley General de Minería art. 91 as set by Ley 27651):
 * productor minero artesanal, pequeño productor minero, régimen general (medium, large); none
 * where not declared.
 */
export const minerCategories = ['artisanal', 'small_producer', 'medium', 'large', 'none'] as const;
export type MinerCategory = (typeof minerCategories)[number];

export const miningMethods = ['alluvial', 'dredge', 'hydraulic', 'other'] as const;
export type MiningMethod = (typeof miningMethods)[number];

export const lotForms = ['dore', 'nugget', 'amalgam', 'sponge', 'granules', 'bar', 'recycled'] as const;
export type LotForm = (typeof lotForms)[number];

export const lotStatuses = ['active', 'consumed', 'exported', 'seized'] as const;
export type LotStatus = (typeof lotStatuses)[number];

export const lotOperations = ['split', 'merge', 'refine'] as const;
export type LotOperation = (typeof lotOperations)[number];

export const movementStatuses = ['declared', 'in_transit', 'delivered', 'seized'] as const;
export type MovementStatus = (typeof movementStatuses)[number];

export const inspectionOutcomes = ['passed', 'discrepancy', 'seized'] as const;
export type InspectionOutcome = (typeof inspectionOutcomes)[number];

export const severities = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof severities)[number];

/** A subject's risk: the highest severity among its unresolved flags, or none. */
export const riskLevels = ['none', ...severities] as const;
export type RiskLevel = (typeof riskLevels)[number];

/** The rule codes of DESIGN "Risk screening": stable, stored in `flag.rule`. */
export const ruleCodes = [
  'ORIGIN_IN_EXCLUSION_ZONE',
  'ORIGIN_OUTSIDE_CONCESSION',
  'CONCESSION_NOT_VALID_MINING',
  'PRODUCER_NOT_FORMALIZED',
  'PRODUCER_NOT_OPERATOR',
  'CONCESSION_OVERLAPS_OTHER_RIGHTS',
  'CUSTODIAN_NOT_REGISTERED',
  'PRODUCTION_OVER_CAPACITY',
  'INPUT_OUTPUT_MISMATCH',
  'STRUCTURING',
  'QR_CLONED',
  'WEIGHT_DISCREPANCY',
  'CONSIGNEE_NOT_AUTHORIZED',
  'DESTINATION_IN_EXCLUSION_ZONE',
  'OVER_QUOTA',
  'OFF_ROUTE',
  'NO_MINING_FOOTPRINT',
  'ORIGIN_FAR_FROM_FOOTPRINT',
  'CASH_ABOVE_THRESHOLD',
  'PRICE_ANOMALY',
  'EXPORT_RECEIPT_MISMATCH',
  'ORIGIN_OUTSIDE_MINING_CORRIDOR',
  'MINING_METHOD_FORBIDDEN',
] as const;
export type RuleCode = (typeof ruleCodes)[number];

export const flagStatuses = ['open', 'acknowledged', 'escalated', 'dismissed'] as const;
export type FlagStatus = (typeof flagStatuses)[number];

/** What a flag is raised on. */
export const subjectTypes = ['lot', 'movement'] as const;
export type SubjectType = (typeof subjectTypes)[number];

/** How goods travel between checkpoints: a checkpoint declares the mode of the post it is. */
export const travelModes = ['road', 'river', 'air'] as const;
export type TravelMode = (typeof travelModes)[number];

/** A custody operation that hands a lot to someone else, with its money trail (lot_transfers). */
export const transferOperations = ['transfer', 'export'] as const;
export type TransferOperation = (typeof transferOperations)[number];

/** How a transfer or export was paid. */
export const paymentMethods = ['cash', 'bank_transfer', 'cheque', 'other'] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

/** The currencies a price may be given in: those the thresholds hold a reference rate for. */
export const currencies = ['PEN', 'USD', 'EUR'] as const;
export type Currency = (typeof currencies)[number];

/** Remote-sensing evidence of mining: a dated footprint polygon, or a dated alert point. */
export const detectionKinds = ['footprint', 'alert'] as const;
export type DetectionKind = (typeof detectionKinds)[number];

/** Administrative areas (INEI limits), for per-district views. */
export const adminLevels = ['department', 'province', 'district'] as const;
export type AdminLevel = (typeof adminLevels)[number];

/** A checkpoint's answer to a scan or an inspection. */
export const verdicts = ['pass', 'hold'] as const;
export type Verdict = (typeof verdicts)[number];

/**
 * How a checkpoint came to a lot or movement: its QR read (by the camera, or the QR's link
 * pasted), or its printed code typed from the label, which proves nothing of the label itself.
 */
export const checkEntries = ['scanned', 'typed'] as const;
export type CheckEntry = (typeof checkEntries)[number];

/**
 * What the ledger's sequencer refuses or finds wrong (db ledger_incidents):
 * an event with no write signature, or one that does not verify with the write key;
 * a stored tree that no longer gives the last signed head, or a head whose signature fails.
 */
export const ledgerIncidentKinds = [
  'event_unsigned',
  'event_signature_invalid',
  'tree_mismatch',
  'head_signature_invalid',
] as const;

// --- overlap cases of rights (reference/overlap-cases.ts) ---

export const overlapCaseStatuses = ['open', 'in_mediation', 'resolved', 'annulled'] as const;
export type OverlapCaseStatus = (typeof overlapCaseStatuses)[number];

/** Where an overlap came on the record. */
export const overlapFoundAt = ['registration', 'import', 'scan'] as const;
export type OverlapFoundAt = (typeof overlapFoundAt)[number];

/**
 * What an authority decided: the rights coexist under an agreement, one right is reduced to
 * remove the overlap, one is annulled (all three resolve the case), or the case is dismissed
 * (no overlap in law: the case is annulled).
 */
export const overlapOutcomes = ['coexistence', 'right_reduced', 'right_annulled', 'dismissed'] as const;
export type OverlapOutcome = (typeof overlapOutcomes)[number];
