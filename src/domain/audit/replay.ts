import { finenessOf, fromMilli, toMilli } from '../shared/grams.js';

/**
 * The state the event log alone gives every lot and movement, rebuilt event by event in the
 * order they were written (events.seq). Pure: state-check.ts feeds it the events and holds the
 * result against the tables. Each rule below mirrors the write that emits the event
 * (lots/lots.ts, lots/custody.ts, inputs/declaration.ts, inputs/inspections.ts); events that
 * change no state (lot.scanned, lot.split's own summary) pass through.
 */

export interface ReplayedEvent {
  type: string;
  subjectType: string;
  subjectId: string;
  payload: Record<string, unknown>;
}

/** What a lot's events make of it; `created` names the creating event, null when none was seen. */
export interface LotState {
  created: string | null;
  firstEvent: string;
  code: string | null;
  status: string | null;
  custodianId: string | null;
  producerId: string | null;
  concessionId: string | null;
  grossWeightG: string | null;
  fineness: string | null;
  fineWeightG: string | null;
  form: string | null;
  parentIds: string[];
  exportedOn: string | null;
  customsDeclaration: string | null;
  destinationCountry: string | null;
}

export interface MovementState {
  created: string | null;
  firstEvent: string;
  code: string | null;
  status: string | null;
  input: string | null;
  quantity: string | null;
  unit: string | null;
  consignorId: string | null;
  consigneeId: string | null;
  destinationConcessionId: string | null;
  vehicle: string | null;
  route: string | null;
  authorizationId: string | null;
}

/** Weights, fineness and quantities as the numeric(…, 3) columns render them: three places. */
export const decimal = (d: string | null): string | null => (d === null ? null : fromMilli(toMilli(d)));

const text = (v: unknown): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
const textOr = (v: unknown, fallback: string | null): string | null => text(v) ?? fallback;
const amount = (v: unknown): string | null => decimal(text(v));

export class Replay {
  readonly lots = new Map<string, LotState>();
  readonly movements = new Map<string, MovementState>();

  apply(e: ReplayedEvent): void {
    if (e.subjectType === 'lot') this.applyLot(e);
    else if (e.subjectType === 'movement') this.applyMovement(e);
  }

  /** A lot an event names; one no creating event made is kept as such, to be reported. */
  private lot(id: string, type: string): LotState {
    let s = this.lots.get(id);
    if (!s) {
      s = {
        created: null,
        firstEvent: type,
        code: null,
        status: null,
        custodianId: null,
        producerId: null,
        concessionId: null,
        grossWeightG: null,
        fineness: null,
        fineWeightG: null,
        form: null,
        parentIds: [],
        exportedOn: null,
        customsDeclaration: null,
        destinationCountry: null,
      };
      this.lots.set(id, s);
    }
    return s;
  }

  private applyLot({ type, subjectId: id, payload: p }: ReplayedEvent): void {
    const lot = this.lot(id, type);
    switch (type) {
      case 'lot.registered':
        Object.assign(lot, {
          created: type,
          code: text(p.code),
          status: 'active',
          custodianId: text(p.custodianId),
          producerId: text(p.producerId),
          concessionId: text(p.concessionId),
          grossWeightG: amount(p.grossWeightG),
          fineness: amount(p.fineness),
          fineWeightG: amount(p.fineWeightG),
          form: text(p.form),
          parentIds: [],
        });
        return;
      case 'lot.transferred':
        lot.custodianId = text(p.to);
        return;
      case 'lot.split':
      case 'lot.merged':
      case 'lot.refined':
        lot.status = 'consumed';
        return;
      case 'lot.exported':
        Object.assign(lot, {
          status: 'exported',
          exportedOn: text(p.exportedOn),
          customsDeclaration: text(p.customsDeclaration),
          destinationCountry: text(p.destinationCountry),
        });
        return;
      case 'lot.seized':
        lot.status = 'seized';
        return;
      case 'lot.created_by_split':
      case 'lot.created_by_refine':
        this.derived(lot, type, p, [text(p.parentId) ?? '']);
        return;
      case 'lot.created_by_merge':
        this.derived(lot, type, p, Array.isArray(p.parentIds) ? p.parentIds.map((x) => text(x) ?? '') : []);
        return;
    }
  }

  /**
   * A lot made from parents. Events written before the payloads carried fineness, form and
   * custodian (custody.ts) leave them to be derived from the parents as the write did: a split
   * part keeps its parent's fineness, form and custody; a merge has the mixture's fineness, the
   * common form else granules (a form chosen in the request was not recorded then), the first
   * input's custodian; a refined lot is a bar in its parent's custody.
   */
  private derived(lot: LotState, type: string, p: Record<string, unknown>, parentIds: string[]): void {
    const parents = parentIds.map((id) => this.lots.get(id));
    const first = parents[0];
    const common = <K extends 'form' | 'producerId' | 'concessionId'>(k: K): string | null => {
      const values = new Set(parents.map((x) => x?.[k] ?? null));
      return values.size === 1 ? (first?.[k] ?? null) : null;
    };
    const gross = amount(p.grossWeightG);
    const fine = amount(p.fineWeightG);
    const merge = type === 'lot.created_by_merge';
    const fineness =
      amount(p.fineness) ??
      (merge ? (fine && gross ? finenessOf(fine, gross) : null) : (first?.fineness ?? null));
    const form =
      text(p.form) ??
      (type === 'lot.created_by_refine'
        ? 'bar'
        : merge
          ? (common('form') ?? 'granules')
          : (first?.form ?? null));
    Object.assign(lot, {
      created: type,
      code: text(p.code),
      status: 'active',
      custodianId: textOr(p.custodianId, first?.custodianId ?? null),
      // Gold of several producers or concessions has none of its own (custody.ts, mergeLots).
      producerId: merge ? common('producerId') : (first?.producerId ?? null),
      concessionId: merge ? common('concessionId') : (first?.concessionId ?? null),
      grossWeightG: gross,
      fineness,
      fineWeightG: fine,
      form,
      parentIds,
    });
  }

  private applyMovement({ type, subjectId: id, payload: p }: ReplayedEvent): void {
    let m = this.movements.get(id);
    if (!m) {
      m = {
        created: null,
        firstEvent: type,
        code: null,
        status: null,
        input: null,
        quantity: null,
        unit: null,
        consignorId: null,
        consigneeId: null,
        destinationConcessionId: null,
        vehicle: null,
        route: null,
        authorizationId: null,
      };
      this.movements.set(id, m);
    }
    switch (type) {
      case 'movement.declared': {
        const destination = (p.destination ?? {}) as Record<string, unknown>;
        Object.assign(m, {
          created: type,
          code: text(p.code),
          status: 'declared',
          input: text(p.input),
          quantity: amount(p.quantity),
          unit: text(p.unit),
          consignorId: text(p.consignorId),
          consigneeId: text(p.consigneeId),
          destinationConcessionId: text(destination.concessionId),
          vehicle: text(p.vehicle),
          route: text(p.route),
          authorizationId: text(p.authorizationId),
        });
        return;
      }
      case 'movement.delivered':
        m.status = 'delivered';
        return;
      case 'movement.inspected':
        // The event records the status it left; the rule of inspections.ts (statusAfter) otherwise.
        m.status =
          text(p.statusAfter) ??
          (p.outcome === 'seized' ? 'seized' : m.status === 'declared' ? 'in_transit' : m.status);
        return;
    }
  }
}
