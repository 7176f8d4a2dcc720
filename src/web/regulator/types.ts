/** Shapes the console derives from the API's bodies (src/web/shared/api-types.ts). */
import type { Checkpoint, Concession, Zone } from '../shared/api-types.js';

export type ZoneProps = Omit<Zone, 'geometry'>;
export type ConcessionProps = Omit<Concession, 'geometry'>;
export type CheckpointProps = Omit<Checkpoint, 'location'>;
