/**
 * What the checkpoint's screens know of the lot or consignment in front of the officer, and how
 * its code reached the device: read from the QR (scanned or its link pasted, the signature
 * verified) or typed from the printed label (found in the registry or on the device, then the
 * label must be compared with the screen: a typed code proves only that such a code exists).
 */
import type { QrSubject } from '../../domain/lots/qr.js';
import type { VerdictFlag } from '../../domain/screening/verdict.js';
import type { InputUnit, LotStatus, MovementStatus, Watchlist } from '../shared/api-types.js';

export interface LotFacts {
  code: string;
  form?: string;
  grossWeightG?: string;
  status?: LotStatus;
  flags?: VerdictFlag[];
  /** What the officer weighed, three decimals. */
  observedG?: string;
}

export interface MovementFacts {
  code: string;
  status?: MovementStatus;
  input?: string;
  quantity?: string;
  unit?: InputUnit;
  route?: string;
  flags?: VerdictFlag[];
}

export type How = 'scanned' | 'typed';

/** The subject on screen: its verified token, how its code came, and what is known of it. */
export type Opened =
  | { kind: 'lot'; subject: QrSubject; token: string; how: How; lot: LotFacts }
  | {
      kind: 'movement';
      subject: QrSubject;
      token: string;
      how: How;
      movement: MovementFacts;
      listed?: Watchlist['movements'][number];
    };

/** Only what a verdict reads of a flag. */
export const facts = (f: VerdictFlag[]): VerdictFlag[] =>
  f.map(({ rule, severity, status }) => ({ rule, severity, status }));
