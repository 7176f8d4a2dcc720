/**
 * The API's bodies as the apps receive them, in one place for all three apps: the types the
 * server's presenters return (inferred from the zod schemas that the OpenAPI document
 * publishes), with dates as the JSON strings they travel as. Type-only imports: nothing of the
 * server reaches a bundle. The closed lists (forms, statuses, severities…) come from the
 * vocabulary module, which imports nothing.
 */

import type { InspectionResult as InspectionResultShape } from '../../domain/inputs/inspections.js';
import type {
  Movement as MovementShape,
  QuotaReport as QuotaReportShape,
} from '../../domain/inputs/schemas.js';
import type { SyncRecord, SyncResult } from '../../domain/inputs/sync.js';
import type { Watchlist } from '../../domain/inputs/watchlist.js';
import type { InclusionAnswer } from '../../domain/ledger/proofs.js';
import type { SignedHead } from '../../domain/ledger/store.js';
import type { LedgerVerification } from '../../domain/ledger/verify.js';
import type { Provenance as ProvenanceShape } from '../../domain/lots/provenance.js';
import type { ScanResult as ScanResultShape } from '../../domain/lots/scans.js';
import type { Lot as LotShape, SplitResult as SplitResultShape } from '../../domain/lots/schemas.js';
import type {
  ActorDetail as ActorDetailShape,
  Actor as ActorShape,
  Checkpoint as CheckpointShape,
  ConcessionDetail as ConcessionDetailShape,
  Concession as ConcessionShape,
  Zone as ZoneShape,
} from '../../domain/reference/schemas.js';
import type { AmlReport as AmlReportShape } from '../../domain/reports/aml-report.js';
import type { actorBalance, concessionBalance } from '../../domain/reports/balances.js';
import type { Flag as FlagShape, FlagSummary as FlagSummaryShape } from '../../domain/screening/schemas.js';
import type { Page } from '../../domain/shared/page.js';

export type { PointGeometry } from '../../domain/shared/geojson.js';
export type {
  FlagStatus,
  LotForm,
  LotStatus,
  MovementStatus,
  RiskLevel,
  RuleCode,
  Severity,
} from '../../domain/shared/vocabulary.js';
export type { Page, SyncRecord, SyncResult, Watchlist };

/** A value as JSON carries it: dates become strings. */
export type Json<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Json<U>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

export type Lot = Json<LotShape>;
export type SplitResult = Json<SplitResultShape>;
export type FlagSummary = Json<FlagSummaryShape>;
export type Flag = Json<FlagShape>;
export type Provenance = Json<ProvenanceShape>;
export type ScanResult = Json<ScanResultShape>;
export type Movement = Json<MovementShape>;
export type InspectionResult = Json<InspectionResultShape>;
export type QuotaReport = Json<QuotaReportShape>;
export type Actor = Json<ActorShape>;
export type ActorDetail = Json<ActorDetailShape>;
export type Concession = Json<ConcessionShape>;
export type ConcessionDetail = Json<ConcessionDetailShape>;
export type Zone = Json<ZoneShape>;
export type Checkpoint = Json<CheckpointShape>;
export type AmlReport = Json<AmlReportShape>;
export type ConcessionBalance = Json<Awaited<ReturnType<typeof concessionBalance>>>;
export type ActorBalance = Json<Awaited<ReturnType<typeof actorBalance>>>;
export type SignedTreeHead = Json<SignedHead>;
export type LedgerHead = SignedTreeHead & { jwksUrl: string };
export type Verification = Json<LedgerVerification>;
export type EventProof = Json<InclusionAnswer>;
