/**
 * The API's bodies as the apps receive them, in one place for all three apps: the types the
 * server's presenters return (inferred from the zod schemas that the OpenAPI document
 * publishes), with dates as the JSON strings they travel as. Type-only imports: nothing of the
 * server reaches a bundle. The closed lists (forms, statuses, severities…) come from the
 * vocabulary module, which imports nothing.
 */

import type {
  InspectionResult as InspectionResultShape,
  Movement as MovementShape,
  SyncResult as SyncResultShape,
  Watchlist as WatchlistShape,
} from '../../domain/inputs/schemas.js';
import type { SyncRecord } from '../../domain/inputs/sync.js';
import type {
  ConsistencyAnswer,
  InclusionAnswer,
  LedgerHead as LedgerHeadShape,
  LedgerVerification,
} from '../../domain/ledger/schemas.js';
import type {
  Lot as LotShape,
  Provenance as ProvenanceShape,
  ScanResult as ScanResultShape,
} from '../../domain/lots/schemas.js';
import type {
  Actor as ActorShape,
  Checkpoint as CheckpointShape,
  ConcessionDetail as ConcessionDetailShape,
  Concession as ConcessionShape,
  Zone as ZoneShape,
} from '../../domain/reference/schemas.js';
import type { MiningSummary as MiningSummaryShape } from '../../domain/reports/mining-outside-concessions.js';
import type {
  ActorBalance as ActorBalanceShape,
  AmlReport as AmlReportShape,
  ConcessionBalance as ConcessionBalanceShape,
} from '../../domain/reports/schemas.js';
import type {
  FlagListItem as FlagListItemShape,
  Flag as FlagShape,
  ReviewPreview as ReviewPreviewShape,
} from '../../domain/screening/schemas.js';
import type { Page } from '../../domain/shared/page.js';

export type {
  FlagStatus,
  InputUnit,
  LotForm,
  LotStatus,
  MovementStatus,
  RiskLevel,
  RuleCode,
  Severity,
  SubjectType,
  Verdict,
} from '../../domain/shared/vocabulary.js';
export type { Page, SyncRecord };

/** A value as JSON carries it: dates become strings. */
type Json<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Json<U>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

export type Lot = Json<LotShape>;
export type Flag = Json<FlagShape>;
export type FlagListItem = Json<FlagListItemShape>;
export type ReviewPreview = Json<ReviewPreviewShape>;
export type Provenance = Json<ProvenanceShape>;
export type ScanResult = Json<ScanResultShape>;
export type Movement = Json<MovementShape>;
export type InspectionResult = Json<InspectionResultShape>;
export type Actor = Json<ActorShape>;
export type Concession = Json<ConcessionShape>;
export type ConcessionDetail = Json<ConcessionDetailShape>;
export type Zone = Json<ZoneShape>;
export type Checkpoint = Json<CheckpointShape>;
export type AmlReport = Json<AmlReportShape>;
export type ConcessionBalance = Json<ConcessionBalanceShape>;
export type ActorBalance = Json<ActorBalanceShape>;
export type MiningSummary = Json<MiningSummaryShape>;
export type LedgerHead = Json<LedgerHeadShape>;
export type Verification = Json<LedgerVerification>;
export type EventProof = Json<InclusionAnswer>;
export type Watchlist = Json<WatchlistShape>;
export type SyncResult = Json<SyncResultShape>;
export type LedgerConsistency = Json<ConsistencyAnswer>;
