/**
 * The API's bodies as the apps receive them, named once for all three apps: each is a schema of
 * the OpenAPI document's generated types (src/client/openapi.ts, `npm run client:types`), or the
 * answer of an operation whose body the document writes inline. The closed lists (forms,
 * statuses, severities…) come from the vocabulary module, which imports nothing.
 */
import type { components, operations } from '../../client/openapi.js';

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
/** The JSON body of an operation's 200 answer. */
type Ok<Op extends keyof operations> = operations[Op]['responses'] extends {
  200: { content: { 'application/json': infer B } };
}
  ? B
  : never;

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
export type Checkpoint = Schemas['Checkpoint'];
export type AmlReport = Schemas['AmlReport'];
export type ConcessionBalance = Schemas['ConcessionBalance'];
export type ActorBalance = Schemas['ActorBalance'];
export type MiningSummary = Schemas['MiningByDistrict'];
export type Verification = Schemas['LedgerVerification'];
export type Watchlist = Schemas['CheckpointWatchlist'];
export type SyncResult = Schemas['SyncResult'];
/** The answer of a lot write made with `?dryRun=true`. */
export type DryRunLots = Schemas['DryRunLots'];
export type SyncRecord = Schemas['SyncScanRecord'] | Schemas['SyncInspectionRecord'];
export type LedgerHead = Ok<'getLedgerHead'>;
export type EventProof = Ok<'getLedgerEventsByIdProof'>;
export type LedgerConsistency = Ok<'getLedgerConsistency'>;
