import type { Lot } from '../shared/api-types.js';

/** Which screen of the desk is shown; every screen navigates by handing the desk the next one. */
export type View =
  | { kind: 'lots' }
  | { kind: 'register' }
  | { kind: 'lot'; id: string }
  | { kind: 'merge'; lots: Lot[] };
