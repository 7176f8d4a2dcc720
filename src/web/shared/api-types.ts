/**
 * The API's bodies as the screens pass them around, named once for all three apps: each is a
 * schema of the OpenAPI document's generated types (src/client/openapi.ts, `npm run
 * client:types`); a typed call's answer needs no name. The closed lists (forms, statuses,
 * severities…) come from the vocabulary module, which imports nothing.
 */
import type { components } from '../../client/openapi.js';

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

type Schemas = components['schemas'];

export type Lot = Schemas['Lot'];
export type Flag = Schemas['Flag'];
export type FlagListItem = Schemas['FlagListItem'];
export type ReviewPreview = Schemas['ReviewPreview'];
export type Provenance = Schemas['Provenance'];
export type ScanResult = Schemas['ScanResult'];
export type Movement = Schemas['Movement'];
export type InspectionResult = Schemas['InspectionResult'];
export type Actor = Schemas['Actor'];
export type Concession = Schemas['Concession'];
export type ConcessionDetail = Schemas['ConcessionDetail'];
export type Zone = Schemas['Zone'];
export type OverlapCase = Schemas['OverlapCase'];
export type OverlapCaseDetail = Schemas['OverlapCaseDetail'];
export type OverlapDecision = Schemas['OverlapDecision'];
export type Checkpoint = Schemas['Checkpoint'];
export type AmlReport = Schemas['AmlReport'];
export type MiningSummary = Schemas['MiningByDistrict'];
export type Verification = Schemas['LedgerVerification'];
export type Watchlist = Schemas['CheckpointWatchlist'];
export type SyncResult = Schemas['SyncResult'];
/** The answer of a lot write made with `?dryRun=true`. */
export type DryRunLots = Schemas['DryRunLots'];
export type SyncRecord = Schemas['SyncScanRecord'] | Schemas['SyncInspectionRecord'];
