/**
 * From what the officer gave the device to the subject on screen. A QR (read by the camera, or
 * its link pasted) is verified on the device. A printed code typed from the label is looked up:
 * online in the registry (GET /v1/lots?code=, /v1/movements?code=), offline among the codes the
 * device kept (kept.ts) and its checkpoint's watchlist; either way the token found is verified on
 * the device as a scanned one would be. Only a code that does not exist, or a token whose
 * signature fails, is refused; a code the device cannot check offline is said to be unchecked.
 */
import type { VerdictFlag } from '../../domain/screening/verdict.js';
import { canonicalCode } from '../../domain/shared/codes.js';
import { type Api, ApiProblem, answer } from '../shared/api.js';
import type { Lot, Movement, Watchlist } from '../shared/api-types.js';
import { isOnline } from '../shared/reachability.js';
import { facts, type How, type LotFacts, type MovementFacts, type Opened } from './facts.js';
import { keepCode, keptCode } from './kept.js';
import { getFact, type KeptCode } from './store.js';
import { verifyCode, type WhyRefused } from './verify.js';

export type Resolution =
  | { status: 'found'; opened: Opened }
  | { status: 'notFound'; code: string }
  | { status: 'refused'; why: WhyRefused }
  | { status: 'uncheckedOffline'; code: string }
  | { status: 'notACode' }
  | { status: 'noKeys' }
  | { status: 'problem'; error: unknown };

/**
 * How long a lookup may take on a weak signal before the device answers from what it keeps: on a
 * river road a request can hang for minutes, and the officer must not wait on a spinner.
 */
const lookupWithinMs = 8_000;

/**
 * A lookup's failure: the server's problem is said as it is; anything else (no signal, a deadline
 * passed while the request or its answer hung) means the registry cannot be asked now.
 */
const unreachable = (err: unknown): boolean => !(err instanceof ApiProblem);

/** A typed printed code (AU-…, MV-…, in any case, with or without dashes), canonical; else null. */
export const typedCode = (text: string): string | null => canonicalCode(text);

/** What a lot's page of the registry, or its watchlist entry, tells the officer. */
const lotFactsOf = (
  l: Pick<Lot, 'code' | 'form' | 'grossWeightG' | 'status'> & { flags: VerdictFlag[] },
): LotFacts => ({
  code: l.code,
  form: l.form,
  grossWeightG: l.grossWeightG,
  status: l.status,
  flags: facts(l.flags),
});

const movementFactsOf = (
  m: Pick<Movement, 'code' | 'status' | 'quantity' | 'unit' | 'route'> & {
    input: string;
    flags?: VerdictFlag[];
  },
): MovementFacts => ({
  code: m.code,
  status: m.status,
  input: m.input,
  quantity: m.quantity,
  unit: m.unit,
  route: m.route,
  ...(m.flags ? { flags: facts(m.flags) } : {}),
});

/** Keeps what was found, so that the same code typed again offline is found on the device. */
async function keep(o: Opened): Promise<void> {
  const entry: KeptCode = {
    kind: o.kind,
    id: o.subject.id,
    code: o.subject.code,
    token: o.token,
    seenAt: new Date().toISOString(),
  };
  if (o.kind === 'lot') {
    const { form, grossWeightG, status } = o.lot;
    entry.lot = {
      ...(form ? { form } : {}),
      ...(grossWeightG ? { grossWeightG } : {}),
      ...(status ? { status } : {}),
    };
  } else {
    const { status, input, quantity, unit, route } = o.movement;
    if (status && input && quantity && unit && route)
      entry.movement = { status, input, quantity, unit, route };
  }
  await keepCode(entry);
}

/** Verifies a token found for a code, and that it names that very subject. */
async function opened(
  token: string,
  code: string,
  how: How,
  shown: { lot: LotFacts } | { movement: MovementFacts },
): Promise<Resolution> {
  const v = await verifyCode(token);
  if (!v.ok) return v.why === 'noKeys' ? { status: 'noKeys' } : { status: 'refused', why: v.why };
  if (v.subject.code !== code) return { status: 'refused', why: 'payload' };
  const o: Opened =
    'lot' in shown
      ? { kind: 'lot', subject: v.subject, token: v.token, how, lot: shown.lot }
      : { kind: 'movement', subject: v.subject, token: v.token, how, movement: shown.movement };
  if (o.kind !== v.subject.kind) return { status: 'refused', why: 'payload' };
  await keep(o);
  return { status: 'found', opened: o };
}

/** A code typed from a label (or opened from a link to its screen). */
export async function resolveTyped(api: Api, text: string, checkpointId: string): Promise<Resolution> {
  const code = typedCode(text);
  if (!code) return { status: 'notACode' };
  const kind = code.startsWith('MV-') ? 'movement' : 'lot';
  if (isOnline()) {
    try {
      const query = { code };
      const signal = AbortSignal.timeout(lookupWithinMs);
      if (kind === 'lot') {
        const [lot] = (await answer(api.GET('/v1/lots', { params: { query }, signal }))).items;
        if (!lot) return { status: 'notFound', code };
        return await opened(lot.qrUrl, code, 'typed', { lot: lotFactsOf({ ...lot, flags: lot.flags }) });
      }
      const [m] = (await answer(api.GET('/v1/movements', { params: { query }, signal }))).items;
      if (!m) return { status: 'notFound', code };
      return await opened(m.qrUrl, code, 'typed', {
        movement: movementFactsOf({ ...m, flags: m.flags as VerdictFlag[] }),
      });
    } catch (err) {
      if (!unreachable(err)) return { status: 'problem', error: err };
    }
  }
  return resolveOffline(code, kind, checkpointId);
}

/**
 * No signal: the watchlist (fresher facts, flags included) or the kept codes. An entry of a
 * watchlist fetched before lists carried tokens cannot be recorded, so it does not count.
 */
async function resolveOffline(
  code: string,
  kind: 'lot' | 'movement',
  checkpointId: string,
): Promise<Resolution> {
  const [kept, wl] = await Promise.all([keptCode(code), getFact('watchlist', checkpointId)]);
  type Listed = Watchlist['lots'][number] | Watchlist['movements'][number];
  const listed: (Partial<Listed> & { code: string }) | undefined =
    kind === 'lot' ? wl?.lots.find((l) => l.code === code) : wl?.movements.find((m) => m.code === code);
  const token = listed?.token ?? kept?.token;
  if (!token) return { status: 'uncheckedOffline', code };
  if (kind === 'lot') {
    const l = wl?.lots.find((x) => x.code === code);
    return opened(token, code, 'typed', {
      lot: l ? lotFactsOf(l) : { code, ...(kept?.lot ?? {}) },
    });
  }
  const m = wl?.movements.find((x) => x.code === code);
  return opened(token, code, 'typed', {
    movement: m ? movementFactsOf(m) : { code, ...(kept?.movement ?? {}) },
  });
}

/**
 * A QR read by the camera or its link pasted: verified on the device; a movement's facts from the
 * registry when online, else from the watchlist; a lot's from the watchlist when it lists it.
 */
/**
 * A QR read is a scan, unless its token was signed for a lookup of the printed code (a QR made
 * from what a lookup answered, not a label's): then the check is a typed one.
 */
const scannedHow = (s: { lookedUp?: true }): How => (s.lookedUp ? 'typed' : 'scanned');

export async function resolveScanned(api: Api, text: string, checkpointId: string): Promise<Resolution> {
  const v = await verifyCode(text);
  if (!v.ok) return v.why === 'noKeys' ? { status: 'noKeys' } : { status: 'refused', why: v.why };
  const wl = await getFact('watchlist', checkpointId);
  if (v.subject.kind === 'lot') {
    const listed = wl?.lots.find((l) => l.id === v.subject.id);
    const o: Opened = {
      kind: 'lot',
      subject: v.subject,
      token: v.token,
      how: scannedHow(v.subject),
      lot: listed ? lotFactsOf(listed) : { code: v.subject.code },
    };
    await keep(o);
    return { status: 'found', opened: o };
  }
  const listed = wl?.movements.find((m) => m.id === v.subject.id);
  let movement: MovementFacts = listed ? movementFactsOf(listed) : { code: v.subject.code };
  if (isOnline()) {
    try {
      const signal = AbortSignal.timeout(lookupWithinMs);
      const m = await answer(
        api.GET('/v1/movements/{id}', { params: { path: { id: v.subject.id } }, signal }),
      );
      movement = movementFactsOf({ ...m, flags: m.flags as VerdictFlag[] });
    } catch (err) {
      if (!unreachable(err)) return { status: 'problem', error: err };
    }
  }
  const o: Opened = {
    kind: 'movement',
    subject: v.subject,
    token: v.token,
    how: scannedHow(v.subject),
    movement,
  };
  await keep(o);
  return { status: 'found', opened: o };
}
