import { sql } from 'drizzle-orm';
import { type Queryable, rowsOf } from '../../db/client.js';
import { pgArray } from '../../db/sql.js';
import { appendEvents } from '../ledger/events.js';
import { screen } from '../screening/engine.js';
import { acceptedPrefixesOf, codeOfGiai } from '../shared/gs1.js';
import type { Principal } from '../shared/principal.js';
import type { CapturedEvent } from './capture-schema.js';

/**
 * Receipts of our lots abroad. A captured ObjectEvent whose bizStep is `receiving` or `arriving`
 * (CBV 2.0: the goods were taken in at their destination) and whose epcList names one of our lots
 * by its GIAI (Digital Link or EPC URN, under our company prefix) is a partner's word that the
 * lot arrived. Each such naming is recorded on the lot as a `lot.receipt_reported` ledger event
 * (the captured event's eventID and ledger subject, the mass read, who reported it) — on the lot,
 * so that the lot's own history carries its arrival and an exporter who may read the lot may
 * read the receipt — and the lot is screened on it (EXPORT_RECEIPT_MISMATCH): a receipt that
 * matches the export raises nothing, so an unflagged receipt is the confirmation. A GIAI that
 * names no lot of ours (another company's, or a code we never issued) records nothing: the
 * captured event is kept as it came, and there is no lot to hold a finding.
 *
 * The mass read, in grams, is the first of:
 *   1. a quantityList entry for the lot's own class (`<baseUrl>/v1/lots/<id>`, as the query
 *      writes it) in GRM or KGM;
 *   2. when the event names exactly one of our lots, its only quantityList entry in GRM or KGM
 *      (whatever class the partner gave it, such as its own material code);
 * else none: the receipt then confirms arrival only, and no weight is judged. Other units
 * (counts, troy ounces as APZ) and sensor readings are not read.
 */

const receivingSteps = new Set([
  'receiving',
  'arriving',
  'https://ref.gs1.org/cbv/BizStep-receiving',
  'https://ref.gs1.org/cbv/BizStep-arriving',
]);

/** A captured event that may report receipts, with the codes of our lots it names. */
export interface ReceiptCandidate {
  /** The captured event's ledger subject (events.subject_id of its `epcis.captured`). */
  epcisEventId: string;
  event: Extract<CapturedEvent, { type: 'ObjectEvent' }>;
  codes: string[];
}

export function receiptsOf(
  event: CapturedEvent,
  epcisEventId: string,
  ctx: { companyPrefix: string; acceptedPrefixes?: readonly string[] | undefined },
): ReceiptCandidate[] {
  if (event.type !== 'ObjectEvent' || event.action === 'DELETE') return [];
  if (event.bizStep === undefined || !receivingSteps.has(event.bizStep)) return [];
  const codes = [
    ...new Set((event.epcList ?? []).flatMap((u) => codeOfGiai(u, acceptedPrefixesOf(ctx)) ?? [])),
  ];
  return codes.length ? [{ epcisEventId, event, codes }] : [];
}

const massUnits = { GRM: 0, KGM: 3 } as const;

/**
 * A JSON number in a unit, as grams in decimal text, shifted by the unit's power of ten without
 * passing through a float product (1.2345 KGM is exactly 1234.5 g).
 */
function gramsOf(quantity: number, uom: keyof typeof massUnits): string | null {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(String(quantity));
  if (!m) return null;
  const [, sign, whole = '', frac = '', exp = '0'] = m;
  const shift = Number(exp) + massUnits[uom];
  const digits = whole + frac;
  const point = whole.length + shift;
  const padded =
    point > digits.length ? digits.padEnd(point, '0') : point < 0 ? '0'.repeat(-point) + digits : digits;
  const at = Math.max(point, 0);
  const int = padded.slice(0, at).replace(/^0+(?=\d)/, '') || '0';
  const dec = padded.slice(at).replace(/0+$/, '');
  return `${sign}${int}${dec ? `.${dec}` : ''}`;
}

function massOf(c: ReceiptCandidate, lotId: string, baseUrl: string): { grams: string; from: string } | null {
  const weighed = (c.event.quantityList ?? []).filter(
    (q): q is typeof q & { uom: keyof typeof massUnits; quantity: number } =>
      q.quantity !== undefined && (q.uom === 'GRM' || q.uom === 'KGM'),
  );
  const own = weighed.find((q) => q.epcClass === `${baseUrl}/v1/lots/${lotId}`);
  const only = c.codes.length === 1 && weighed.length === 1 ? weighed[0] : undefined;
  const q = own ?? only;
  if (!q) return null;
  const grams = gramsOf(q.quantity, q.uom);
  return grams === null ? null : { grams, from: `quantityList ${q.epcClass} ${q.quantity} ${q.uom}` };
}

/** Records the receipts of our lots among these candidates and screens the lots on them. */
export async function recordReceipts(
  tx: Queryable,
  by: Principal,
  candidates: ReceiptCandidate[],
  baseUrl: string,
): Promise<void> {
  const codes = [...new Set(candidates.flatMap((c) => c.codes))];
  if (codes.length === 0) return;
  const lots = rowsOf<{ id: string; code: string }>(
    await tx.execute(sql`SELECT id, code FROM lots WHERE code = ANY(${pgArray(codes, 'text')})`),
  );
  const idOf = new Map(lots.map((l) => [l.code, l.id]));
  const receipts = candidates.flatMap((c) =>
    c.codes.flatMap((code) => {
      const lotId = idOf.get(code);
      if (lotId === undefined) return [];
      const mass = massOf(c, lotId, baseUrl);
      return [
        {
          type: 'lot.receipt_reported',
          subjectType: 'lot',
          subjectId: lotId,
          occurredAt: new Date(c.event.eventTime),
          payload: {
            eventID: c.event.eventID,
            epcisEventId: c.epcisEventId,
            bizStep: c.event.bizStep,
            receivedGrossWeightG: mass?.grams ?? null,
            massFrom: mass?.from ?? null,
          },
        },
      ];
    }),
  );
  if (receipts.length === 0) return;
  await appendEvents(tx, by, receipts);
  await screen(tx, by, { trigger: 'receipt', lotIds: [...new Set(receipts.map((r) => r.subjectId))] });
}
