/**
 * The API's bodies as the exporter desk receives them: the server's own types, with dates as the
 * JSON strings they travel as. Type-only imports: nothing of the server reaches the bundle.
 */

import type { Lot } from '../../domain/lots/lots.js';
import type { AreaGeometry, PointGeometry } from '../../domain/shared/geojson.js';

type Jsonified<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K];
};

export type ApiLot = Jsonified<Lot>;
export type LotForm = ApiLot['form'];
export type LotStatus = ApiLot['status'];

export { lotForms, lotStatuses } from '../../domain/shared/vocabulary.js';
export type { PointGeometry };

export interface ApiConcession {
  id: string;
  code: string;
  name: string;
  kind: string;
  holderId: string | null;
  status: string;
  areaHa: string;
  retiredOn: string | null;
  geometry: AreaGeometry;
}

export interface ApiConcessionDetail extends ApiConcession {
  operators: { id: string; actorId: string; validFrom: string; validTo: string | null }[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
