/**
 * The desk's addresses (shared/route.ts): every screen and every lot has one, so Back returns,
 * a lot opens in a new tab, and a link sent to a colleague opens the same screen after sign-in.
 *   #/lots                 my lots (also the home, "#/")
 *   #/lots/<id>            one lot
 *   #/lots/<id>/<op>       one lot with an operation open (split, transfer, refine, export, label)
 *   #/merge?lots=<a>,<b>   merging the lots named
 *   #/register             registering a lot
 */
import { href } from '../shared/route.js';

const lotOps = ['split', 'transfer', 'refine', 'export', 'label'] as const;
export type LotOp = (typeof lotOps)[number];

export const isLotOp = (s: string | undefined): s is LotOp => (lotOps as readonly string[]).includes(s ?? '');

export const lotsHref = (): string => href(['lots']);
export const registerHref = (): string => href(['register']);
export const lotHref = (id: string, op?: LotOp): string => href(op ? ['lots', id, op] : ['lots', id]);
export const mergeHref = (ids: string[]): string => href(['merge'], { lots: ids.join(',') });
