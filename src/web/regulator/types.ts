/**
 * The API's bodies as the console receives them: the server's own zod schemas, imported as
 * types only (nothing of the server reaches the bundle), with dates as the JSON strings they
 * travel as.
 */
import type { z } from '@hono/zod-openapi';
import type { FlagStatus, RuleCode, Severity } from '../../domain/shared/vocabulary.js';
import type { actorSchema } from '../../routes/actors/schemas.js';
import type { checkpointSchema } from '../../routes/checkpoints/index.js';
import type { concessionSchema } from '../../routes/concessions/index.js';
import type { flagSchema } from '../../routes/flags/schemas.js';
import type { provenanceSchema } from '../../routes/lots/provenance.js';
import type { lotSchema } from '../../routes/lots/schemas.js';
import type { movementSchema } from '../../routes/movements/schemas.js';
import type { amlReportSchema } from '../../routes/reports/index.js';
import type { zoneSchema } from '../../routes/zones/index.js';

/** A value as JSON carries it: dates become strings. */
export type Json<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Json<U>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

export type { FlagStatus, RuleCode, Severity };
export type RiskLevel = Severity | 'none';
export type Lot = Json<z.infer<typeof lotSchema>>;
export type Flag = Json<z.infer<typeof flagSchema>>;
export type Provenance = Json<z.infer<typeof provenanceSchema>>;
export type Actor = Json<z.infer<typeof actorSchema>>;
export type Movement = Json<z.infer<typeof movementSchema>>;
export type Zone = Json<z.infer<typeof zoneSchema>>;
export type Concession = Json<z.infer<typeof concessionSchema>>;
export type Checkpoint = Json<z.infer<typeof checkpointSchema>>;
export type AmlReport = Json<z.infer<typeof amlReportSchema>>;

export type ZoneKind = Zone['kind'];
export type ConcessionKind = Concession['kind'];
export type ConcessionStatus = Concession['status'];

export type ZoneProps = Omit<Zone, 'geometry'>;
export type ConcessionProps = Omit<Concession, 'geometry'>;
export type CheckpointProps = Omit<Checkpoint, 'location'>;
