import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Api, ApiProblem, answer, createApi, NetworkError } from '../../src/web/shared/api.js';
import { describeProblem } from '../../src/web/shared/problems.js';
import { onReachability } from '../../src/web/shared/reachability.js';
import { type TestContext, testApp } from '../helpers/app.js';
import { type GoldWorld, goldWorld } from '../helpers/fixtures.js';

/**
 * The client the web apps use (src/web/shared/api.ts), driven against the real app and
 * database: what the apps rely on is that a typed call answers the server's body, that a
 * problem arrives as ApiProblem with its type and failing fields, that a 401 asks the person to
 * sign in again, and that a request that never arrived is a NetworkError.
 */
let t: TestContext;
let w: GoldWorld;

/** The client as an app builds it, sending through the app in process instead of a socket. */
function clientFor(token: string | undefined, onUnauthenticated?: () => void): Api {
  return createApi(() => token, onUnauthenticated, {
    baseUrl: 'http://orotrace.test',
    fetch: async (request) => t.app.request(request),
  });
}

const lotBody = () => ({
  producerId: w.miner.id,
  concessionId: w.concession.id,
  origin: { type: 'Point' as const, coordinates: [-70.1, -12.945] },
  extractedOn: '2026-10-01',
  grossWeightG: '1000.000',
  fineness: '870',
  form: 'dore' as const,
});

/** A write's own answer: its operation may also answer a dry run, which these tests never ask for. */
function written<A extends object>(a: A): Exclude<A, { dryRun: true }> {
  if ('dryRun' in a) throw new Error('answered as a dry run');
  return a as Exclude<A, { dryRun: true }>;
}

beforeAll(async () => {
  t = await testApp();
  w = await goldWorld(t);
});

describe('the typed client against the app', () => {
  it('registers a lot with a typed body and reads it back with a typed GET', async () => {
    const api = clientFor(w.minerToken);
    const made = written(await answer(api.POST('/v1/lots', { body: lotBody() })));
    expect(made.code).toMatch(/^AU-\d{4}-\d{6}$/);
    const read = await answer(api.GET('/v1/lots/{id}', { params: { path: { id: made.id } } }));
    expect(read).toMatchObject({ id: made.id, code: made.code, grossWeightG: '1000.000', status: 'active' });
    const page = await answer(api.GET('/v1/lots', { params: { query: { code: made.code, limit: 1 } } }));
    expect(page.items.map((l) => l.id)).toEqual([made.id]);
  });

  it('hands a lot over with a POST and the new custodian reads it', async () => {
    const api = clientFor(w.minerToken);
    const lot = written(await answer(api.POST('/v1/lots', { body: lotBody() })));
    const moved = await answer(
      api.POST('/v1/lots/{id}/transfers', {
        params: { path: { id: lot.id } },
        body: { toActorId: w.trader.id },
      }),
    );
    expect('dryRun' in moved).toBe(false);
    const asTrader = clientFor(w.traderToken);
    const read = await answer(asTrader.GET('/v1/lots/{id}', { params: { path: { id: lot.id } } }));
    expect(read.custodianId).toBe(w.trader.id);
  });

  it('downloads a label as text and the flags as CSV through the same client', async () => {
    const api = clientFor(w.minerToken);
    const lot = written(await answer(api.POST('/v1/lots', { body: lotBody() })));
    const html = await answer(
      api.GET('/v1/lots/{id}/label', {
        params: { path: { id: lot.id } },
        headers: { accept: 'text/html' },
        parseAs: 'text',
      }),
    );
    expect(html).toContain(lot.code);
    const regulator = clientFor(w.regulatorToken);
    const { data: csv, response } = await regulator.GET('/v1/flags', {
      params: { query: { format: 'csv', lang: 'en' } },
      headers: { accept: 'text/csv' },
      parseAs: 'blob',
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(await csv?.text()).toMatch(/^\uFEFF?[^\r\n]*,/);
  });

  it('turns a refused body into an ApiProblem naming the failing field, and writes nothing', async () => {
    const api = clientFor(w.minerToken);
    const before = await answer(api.GET('/v1/lots', { params: { query: { custodianId: w.miner.id } } }));
    const err = await answer(api.POST('/v1/lots', { body: { ...lotBody(), grossWeightG: 'heavy' } })).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiProblem);
    const problem = err as ApiProblem;
    expect(problem.status).toBe(400);
    expect(problem.problem.type).toBe('/problems/validation');
    expect(problem.problem.errors?.map((e) => e.field)).toContain('grossWeightG');
    // The apps' own words for it (problems.ts), with the field by the form's name.
    expect(describeProblem(err, 'es', { grossWeightG: 'Peso bruto' })).toBe(
      'Hay datos que faltan o no son válidos. Revise: Peso bruto.',
    );
    const after = await answer(api.GET('/v1/lots', { params: { query: { custodianId: w.miner.id } } }));
    expect(after.items.length).toBe(before.items.length);
  });

  it('turns an unknown lot into an ApiProblem of type not-found', async () => {
    const api = clientFor(w.regulatorToken);
    const err = await answer(api.GET('/v1/lots/{id}', { params: { path: { id: randomUUID() } } })).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiProblem);
    expect((err as ApiProblem).status).toBe(404);
    expect((err as ApiProblem).problem.type).toBe('/problems/not-found');
  });

  it('calls onUnauthenticated on a 401, and not on a 403', async () => {
    let signOuts = 0;
    const forged = `${w.regulatorToken.slice(0, -4)}AAAA`;
    const api = clientFor(forged, () => signOuts++);
    const err = await answer(api.GET('/v1/ledger/head')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiProblem);
    expect((err as ApiProblem).status).toBe(401);
    expect(signOuts).toBe(1);
    // A checkpoint may not read the flag queue: its session is fine, so no sign-out.
    const checkpoint = clientFor(w.mazukoToken, () => signOuts++);
    const refused = await answer(checkpoint.GET('/v1/flags')).catch((e: unknown) => e);
    expect((refused as ApiProblem).status).toBe(403);
    expect(signOuts).toBe(1);
  });

  it('turns a request that never arrives into a NetworkError and reports the server unreachable', async () => {
    const seen: boolean[] = [];
    const stop = onReachability((r) => seen.push(r));
    try {
      const down = createApi(() => w.regulatorToken, undefined, {
        baseUrl: 'http://orotrace.test',
        fetch: async () => {
          throw new TypeError('fetch failed');
        },
      });
      const err = await answer(down.GET('/v1/ledger/head')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NetworkError);
      expect(describeProblem(err, 'en')).toBe('No connection to the server. Check the signal and retry.');
      // The next answer, whatever its status, brings the apps back online.
      await answer(clientFor(w.regulatorToken).GET('/v1/ledger/head'));
      expect(seen).toEqual([false, true]);
    } finally {
      stop();
    }
  });

  it('is checked by the compiler against the document', () => {
    const api = clientFor(undefined);
    // Never run: these lines only have to fail the typecheck (tsc runs over the tests too).
    const wrong = () => [
      // @ts-expect-error: there is no such path
      api.GET('/v1/lot/{id}', { params: { path: { id: 'x' } } }),
      // @ts-expect-error: the path parameter is `id`
      api.GET('/v1/lots/{id}', { params: { path: { lotId: 'x' } } }),
      // @ts-expect-error: a transfer names `toActorId`
      api.POST('/v1/lots/{id}/transfers', { params: { path: { id: 'x' } }, body: { to: 'y' } }),
    ];
    expect(typeof wrong).toBe('function');
  });
});
