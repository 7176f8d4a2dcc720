import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { compactVerify, importJWK } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import type { TestContext } from '../helpers/app.js';
import { adminDb } from '../helpers/db.js';
import {
  countRows,
  declareMovement,
  type InputsWorld,
  inputsWorld,
  inspectionBody,
} from '../helpers/inputs.js';
import { worldPerFile } from '../helpers/world.js';

let t: TestContext;
let w: InputsWorld;
const world = worldPerFile(inputsWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

const sync = (records: unknown[], token = w.mazukoToken) =>
  t.call('POST', '/v1/sync', { token, body: { records } });
const count = (table: 'inspections' | 'scans') =>
  countRows(t, sql.raw(`SELECT count(*)::text AS n FROM ${table}`));
const inspectedEvents = () =>
  countRows(t, sql`SELECT count(*)::text AS n FROM events WHERE type = 'movement.inspected'`);

async function registerLot() {
  const res = await t.call('POST', '/v1/lots', {
    token: w.minerToken,
    body: {
      producerId: w.miner.id,
      concessionId: w.concession.id,
      origin: { type: 'Point', coordinates: [-70.52, -13.05] },
      extractedOn: '2026-10-01',
      grossWeightG: '250.000',
      fineness: '900',
      form: 'dore',
    },
  });
  if (res.status !== 201) throw new Error(res.text);
  return res.body;
}

/** An inspection of a movement by its QR, as a device stores it offline. */
const inspectionRecord = (m: { id: string; qrUrl: string }, over: Record<string, unknown> = {}) => {
  const { movementId: _, ...fields } = inspectionBody(w, m, { token: m.qrUrl });
  return { kind: 'inspection', ...fields, ...over };
};
const scanRecord = (lot: { qrUrl: string }, over: Record<string, unknown> = {}) => ({
  kind: 'scan',
  token: lot.qrUrl,
  checkpointId: w.mazuko.id,
  observedGrossWeightG: '250.000',
  occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
  clientId: randomUUID(),
  ...over,
});

/**
 * Makes the database refuse a scan whose clientId is LIKE `pattern`: at its INSERT (a trigger), or
 * only at the COMMIT of the transaction that wrote it (a deferred constraint trigger, checked
 * after every statement succeeded). Undone by stopFailingScans.
 */
async function failScansNamed(pattern: string, at: 'insert' | 'commit') {
  await (await adminDb()).execute(
    sql.raw(`CREATE FUNCTION test_fail_scan() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.client_id LIKE '${pattern}' THEN RAISE EXCEPTION 'test: this scan is refused'; END IF;
        RETURN NEW;
      END $$`),
  );
  await (await adminDb()).execute(
    sql.raw(
      at === 'insert'
        ? 'CREATE TRIGGER test_fail_scan BEFORE INSERT ON scans FOR EACH ROW EXECUTE FUNCTION test_fail_scan()'
        : `CREATE CONSTRAINT TRIGGER test_fail_scan AFTER INSERT ON scans
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_fail_scan()`,
    ),
  );
}
async function stopFailingScans() {
  await (await adminDb()).execute(sql.raw('DROP TRIGGER IF EXISTS test_fail_scan ON scans'));
  await (await adminDb()).execute(sql.raw('DROP FUNCTION IF EXISTS test_fail_scan()'));
}

describe('offline sync', () => {
  it('applies scans and inspections sent in any order, each answered in request order', async () => {
    const m = await declareMovement(t, w);
    // Fuel too, so that the lot's gold is in proportion to the inputs its producer received
    // (INPUT_OUTPUT_MISMATCH) and its scan passes.
    await declareMovement(t, w, { input: 'diesel', quantity: '1000', unit: 'L' });
    const lot = await registerLot();
    const later = inspectionRecord(m, { occurredAt: '2026-11-20T16:00:00Z', outcome: 'discrepancy' });
    const earlier = inspectionRecord(m, { occurredAt: '2026-11-20T09:00:00Z' });
    const scan = scanRecord(lot);
    const res = await sync([later, scan, earlier]);
    expect(res.status).toBe(200);
    expect(res.body.counts).toEqual({ applied: 3, duplicate: 0, rejected: 0 });
    expect(res.body.results).toEqual([
      {
        index: 0,
        kind: 'inspection',
        clientId: later.clientId,
        status: 'applied',
        id: expect.any(String),
        verdict: 'hold',
      },
      {
        index: 1,
        kind: 'scan',
        clientId: scan.clientId,
        status: 'applied',
        id: expect.any(String),
        verdict: 'pass',
      },
      {
        index: 2,
        kind: 'inspection',
        clientId: earlier.clientId,
        status: 'applied',
        id: expect.any(String),
        verdict: 'pass',
      },
    ]);
    // Device time and server receipt time are both kept.
    const rows = await t.db.execute(
      sql`SELECT client_id, occurred_at, recorded_at FROM inspections ORDER BY occurred_at`,
    );
    const kept = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as {
      client_id: string;
      occurred_at: string | Date;
      recorded_at: string | Date;
    }[];
    expect(kept.map((r) => r.client_id)).toEqual([earlier.clientId, later.clientId]);
    expect(new Date(kept[0]?.occurred_at ?? 0).toISOString()).toBe('2026-11-20T09:00:00.000Z');
    expect(new Date(kept[0]?.recorded_at ?? 0).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('a retried batch, or one resent after a half-received answer, applies each record once', async () => {
    const m = await declareMovement(t, w);
    const lot = await registerLot();
    const records = [inspectionRecord(m), scanRecord(lot), inspectionRecord(m)];
    const first = await sync(records);
    expect(first.body.counts).toEqual({ applied: 3, duplicate: 0, rejected: 0 });
    const retried = await sync(records);
    expect(retried.body.counts).toEqual({ applied: 0, duplicate: 3, rejected: 0 });
    expect(retried.body.results.map((r: { id: string }) => r.id)).toEqual(
      first.body.results.map((r: { id: string }) => r.id),
    );
    // The device got only the first answer, and resends the rest with one new record.
    const resent = await sync([...records.slice(1), inspectionRecord(m)]);
    expect(resent.body.counts).toEqual({ applied: 1, duplicate: 2, rejected: 0 });
    expect(await count('inspections')).toBe(3);
    expect(await count('scans')).toBe(1);
    expect(await inspectedEvents()).toBe(3);
    expect(await countRows(t, sql`SELECT count(*)::text AS n FROM events WHERE type = 'lot.scanned'`)).toBe(
      1,
    );
  });

  it('within one batch the first of a clientId applies; a repeat is a duplicate, a different record under it a 409', async () => {
    const m = await declareMovement(t, w);
    const other = await declareMovement(t, w);
    const record = inspectionRecord(m);
    const res = await sync([record, record, inspectionRecord(other, { clientId: record.clientId })]);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual([
      'applied',
      'duplicate',
      'rejected',
    ]);
    expect(res.body.results[1].id).toBe(res.body.results[0].id);
    expect(res.body.results[2].error).toMatchObject({ type: '/problems/conflict', status: 409 });
    expect(await count('inspections')).toBe(1);
    expect(await inspectedEvents()).toBe(1);
  });

  it('the records of one movement are applied in the order sent, among many applied side by side', async () => {
    const target = await declareMovement(t, w);
    const others = await Promise.all([1, 2, 3, 4].map(() => declareMovement(t, w)));
    const records: Record<string, unknown>[] = Array.from({ length: 30 }, (_, i) =>
      inspectionRecord(others[i % 4] as { id: string; qrUrl: string }),
    );
    records[5] = inspectionRecord(target);
    records[6] = inspectionRecord(target, { outcome: 'seized' });
    records[7] = inspectionRecord(target, { outcome: 'passed' });
    const res = await sync(records);
    expect(res.body.counts).toEqual({ applied: 30, duplicate: 0, rejected: 0 });
    expect([5, 6, 7].map((i) => res.body.results[i].verdict)).toEqual(['pass', 'hold', 'hold']);
    const trail = await t.db.execute(sql`SELECT payload->>'statusAfter' AS s, payload->>'clientId' AS c
      FROM events WHERE subject_id = ${target.id} AND type = 'movement.inspected' ORDER BY seq`);
    const rows = (Array.isArray(trail) ? trail : (trail as { rows: unknown[] }).rows) as {
      s: string;
      c: string;
    }[];
    expect(rows).toEqual(
      [5, 6, 7].map((i) => ({ s: i === 5 ? 'in_transit' : 'seized', c: records[i]?.clientId })),
    );
  });

  it('one bad record never blocks the others: each rejected with the reason its own route would give', async () => {
    const m = await declareMovement(t, w);
    const lot = await registerLot();
    const [h, , s] = m.qrUrl.split('/v/')[1].split('.');
    const forged = `${h}.${Buffer.from('{"t":"movement","i":"x","c":"y"}').toString('base64url')}.${s}`;
    const records = [
      inspectionRecord(m),
      inspectionRecord(m, { occurredAt: new Date(Date.now() + 86_400_000).toISOString() }),
      inspectionRecord(m, { token: forged }),
      inspectionRecord(m, { checkpointId: w.maldonado.id }),
      { kind: 'inspection', ...inspectionBody(w, m, { observedQuantity: '-2' }) },
      scanRecord(lot, { token: m.qrUrl }),
      { kind: 'weighing', clientId: 'abcdefgh-1' },
      'not even an object',
      scanRecord(lot),
    ];
    const res = await sync(records);
    expect(res.status).toBe(200);
    const summary = res.body.results.map(
      (r: { status: string; error?: { status: number; errors?: { field: string }[] } }) => [
        r.status,
        r.error?.status ?? null,
        r.error?.errors?.[0]?.field ?? null,
      ],
    );
    expect(summary).toEqual([
      ['applied', null, null],
      ['rejected', 400, 'occurredAt'],
      ['rejected', 422, 'token'],
      ['rejected', 403, null],
      ['rejected', 400, 'observedQuantity'],
      ['rejected', 422, null],
      ['rejected', 400, 'kind'],
      ['rejected', 400, '(record)'],
      ['applied', null, null],
    ]);
    expect(res.body.results[2].error.type).toBe('/problems/invalid-qr');
    expect(res.body.counts).toEqual({ applied: 2, duplicate: 0, rejected: 7 });
    expect(await count('inspections')).toBe(1);
    expect(await count('scans')).toBe(1);
  });

  it('a record the database refuses is undone alone: the others of its chunk are applied', async () => {
    const lot = await registerLot();
    // Records of one lot are applied in one lane, so in one chunk: one transaction.
    const records = [scanRecord(lot), scanRecord(lot, { clientId: 'fail-at-insert-1' }), scanRecord(lot)];
    await failScansNamed('fail-at-insert-%', 'insert');
    let res: Awaited<ReturnType<typeof sync>>;
    try {
      res = await sync(records);
    } finally {
      await stopFailingScans();
    }
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual([
      'applied',
      'rejected',
      'applied',
    ]);
    expect(res.body.results[1].error).toMatchObject({ status: 500 });
    expect(await count('scans')).toBe(2);
    expect(await countRows(t, sql`SELECT count(*)::text AS n FROM events WHERE type = 'lot.scanned'`)).toBe(
      2,
    );
  });

  it('a chunk whose COMMIT fails answers all its records rejected, none applied; sent again, each applies once', async () => {
    const lot = await registerLot();
    // Records of one lot are applied in one lane, so in one chunk: one transaction.
    const records = [scanRecord(lot), scanRecord(lot, { clientId: 'fail-at-commit-1' }), scanRecord(lot)];
    await failScansNamed('fail-at-commit-%', 'commit');
    let res: Awaited<ReturnType<typeof sync>>;
    try {
      res = await sync(records);
    } finally {
      await stopFailingScans();
    }
    expect(res.status).toBe(200);
    expect(res.body.counts).toEqual({ applied: 0, duplicate: 0, rejected: 3 });
    for (const r of res.body.results) {
      expect(r).toMatchObject({ status: 'rejected', error: { status: 409 } });
      expect(r.error.detail).toMatch(/not committed.*send it again/);
      expect(r.id).toBeUndefined();
    }
    expect(await count('scans')).toBe(0);
    expect(await countRows(t, sql`SELECT count(*)::text AS n FROM events WHERE type = 'lot.scanned'`)).toBe(
      0,
    );
    const again = await sync(records);
    expect(again.body.counts).toEqual({ applied: 3, duplicate: 0, rejected: 0 });
    expect(await count('scans')).toBe(3);
  });

  it('a batch of 1,000 records is applied in full; 1,001 is refused whole', async () => {
    const movements = await Promise.all([declareMovement(t, w), declareMovement(t, w)]);
    const lot = await registerLot();
    const records = Array.from({ length: 1000 }, (_, i) =>
      i % 4 === 3 ? scanRecord(lot) : inspectionRecord(movements[i % 2] as (typeof movements)[number]),
    );
    const started = performance.now();
    const res = await sync(records);
    const ms = performance.now() - started;
    expect(res.status).toBe(200);
    expect(res.body.counts).toEqual({ applied: 1000, duplicate: 0, rejected: 0 });
    // ~5 s on PGlite here; a minute means something went quadratic (the benchmark has the figures).
    expect(ms).toBeLessThan(60_000);
    expect(res.body.results.map((r: { index: number }) => r.index)).toEqual(records.map((_, i) => i));
    expect(await count('inspections')).toBe(750);
    expect(await count('scans')).toBe(250);
    expect(await inspectedEvents()).toBe(750);
    const tooMany = await sync([...records, inspectionRecord(movements[0] as (typeof movements)[number])]);
    expect(tooMany.status).toBe(422); // refused for its size: limit-exceeded
    expect(tooMany.body.errors[0].field).toBe('records');
    expect(await count('inspections')).toBe(750);
  }, 120_000);

  it('the OpenAPI document names the schemas each record is validated with', async () => {
    const doc = (await t.call('GET', '/openapi.json')).body;
    const items =
      doc.paths['/v1/sync'].post.requestBody.content['application/json'].schema.properties.records;
    expect(items.maxItems).toBe(1000);
    expect(items.items.oneOf.map((r: { $ref: string }) => r.$ref)).toEqual([
      '#/components/schemas/SyncScanRecord',
      '#/components/schemas/SyncInspectionRecord',
    ]);
    expect(doc.components.schemas.SyncInspectionRecord.properties.kind).toMatchObject({
      enum: ['inspection'],
    });
  });

  it('only checkpoint staff sync', async () => {
    const m = await declareMovement(t, w);
    expect((await sync([inspectionRecord(m)], w.regulatorToken)).status).toBe(403);
    expect((await sync([inspectionRecord(m)], w.supplierToken)).status).toBe(403);
    expect((await sync([])).status).toBe(400);
  });
});

describe('a batch judges each record as one request each would', () => {
  const otherRoute = 'Iñapari – Puerto Maldonado';
  /** The subjects of one run: lots and movements set up alike, each set before the other's records. */
  async function subjects() {
    const lots = [await registerLot(), await registerLot(), await registerLot()];
    // The third lot is split: a flag raised on it passes down to its parts.
    const split = await t.call('POST', `/v1/lots/${lots[2].id}/split`, {
      token: w.minerToken,
      body: { parts: [{ grossWeightG: '125.000' }, { grossWeightG: '125.000' }] },
    });
    expect(split.status).toBe(201);
    // A kilogram of mercury each: the miner's monthly quota holds all of them.
    const movements = [
      await declareMovement(t, w, { quantity: '1.000', route: otherRoute }), // off its route at Mazuko
      await declareMovement(t, w, { quantity: '1.000' }),
      await declareMovement(t, w, { quantity: '1.000' }),
    ];
    // The second lot was scanned at Puerto Maldonado a minute before it is scanned at Mazuko.
    const seenAt = new Date(Date.now() - 3_600_000 - 60_000).toISOString();
    const before = await t.call('POST', '/v1/scans', {
      token: w.maldonadoToken,
      body: { ...scanRecord(lots[1], { checkpointId: w.maldonado.id, occurredAt: seenAt }), kind: undefined },
    });
    expect(before.status).toBe(201);
    return { lots, movements, children: split.body.children as { id: string }[] };
  }
  type Subjects = Awaited<ReturnType<typeof subjects>>;

  const kg = { observedQuantity: '1.000' };
  /** The records a device stores: several per subject, flags raised by some, a duplicate. */
  function recordsOf({ lots, movements }: Subjects) {
    const [l0, l1, l2] = lots;
    const [offRoute, short, plain] = movements;
    const records: Record<string, unknown>[] = [
      scanRecord(l0),
      inspectionRecord(offRoute, kg),
      scanRecord(l0, { observedGrossWeightG: '190.000' }), // 60 g light
      inspectionRecord(short, { observedQuantity: '0.500', outcome: 'discrepancy' }),
      scanRecord(l1),
      inspectionRecord(plain, kg),
      scanRecord(l0),
      inspectionRecord(offRoute, { ...kg, outcome: 'seized' }),
      scanRecord(l2, { observedGrossWeightG: '200.000' }), // light, and already split
      inspectionRecord(short, kg),
      inspectionRecord(plain, { ...kg, outcome: 'seized' }),
      inspectionRecord(plain, kg),
    ];
    records.push({ ...records[4] }); // sent twice
    return records;
  }

  /** What became of each record and of each subject, without ids, codes or times. */
  async function outcome(s: Subjects, results: { status: string; verdict?: string; clientId: string }[]) {
    const reasons = async (clientId: string) => {
      const [row] = rowsOf<{ reasons: unknown }>(
        await t.db.execute(sql`SELECT reasons FROM scans WHERE client_id = ${clientId}
                         UNION ALL SELECT reasons FROM inspections WHERE client_id = ${clientId}`),
      );
      return row?.reasons;
    };
    const flagsOn = async (id: string) =>
      rowsOf<{ rule: string; severity: string; status: string; inherited: boolean }>(
        await t.db.execute(sql`SELECT rule, severity, status, inherited_from IS NOT NULL AS inherited
          FROM flags WHERE subject_id = ${id} ORDER BY created_at, rule, fingerprint`),
      );
    const trail = async (id: string) =>
      rowsOf<{ type: string }>(
        await t.db.execute(sql`SELECT e.type FROM events e
          WHERE e.subject_id = ${id}
             OR (e.type IN ('flag.raised', 'flag.inherited') AND e.payload->>'subjectId' = ${id})
          ORDER BY e.seq`),
      ).map((r) => r.type);
    const subjectsOf = [...s.lots, ...s.children, ...s.movements];
    return {
      records: await Promise.all(
        results.map(async (r) => ({
          status: r.status,
          verdict: r.verdict,
          reasons: await reasons(r.clientId),
        })),
      ),
      flags: await Promise.all(subjectsOf.map((x) => flagsOn(x.id))),
      events: await Promise.all(subjectsOf.map((x) => trail(x.id))),
      statuses: await Promise.all(
        s.movements.map(
          async (m) =>
            rowsOf<{ status: string }>(
              await t.db.execute(sql`SELECT status FROM movements WHERE id = ${m.id}`),
            )[0]?.status,
        ),
      ),
    };
  }

  it('verdicts, reasons, flags, events and statuses are those of the same records sent one request each', async () => {
    // Inputs enough that no lot's gold is out of proportion to its producer's (INPUT_OUTPUT_MISMATCH).
    await declareMovement(t, w, { input: 'diesel', quantity: '20000', unit: 'L' });
    await declareMovement(t, w, { quantity: '10.000' });
    const inapari = await t.call('POST', '/v1/checkpoints', {
      token: w.admin,
      body: {
        code: 'PC-INAPARI',
        name: 'Iñapari',
        location: { type: 'Point', coordinates: [-69.58, -10.95] },
        routes: [otherRoute],
      },
    });
    expect(inapari.status).toBe(201);
    const alone = await subjects();
    const together = await subjects();
    // One request each, through the single-record routes.
    const records = recordsOf(alone);
    const answers: { status: string; verdict?: string; clientId: string }[] = [];
    for (const { kind, ...record } of records) {
      const res = await t.call('POST', kind === 'scan' ? '/v1/scans' : '/v1/inspections', {
        token: w.mazukoToken,
        body: record,
      });
      expect([200, 201]).toContain(res.status);
      answers.push({
        status: res.body.duplicate ? 'duplicate' : 'applied',
        verdict: res.body.verdict,
        clientId: String(record.clientId),
      });
    }
    // The same records about the twin subjects, in one batch.
    const batch = await sync(recordsOf(together));
    expect(batch.status).toBe(200);

    const one = await outcome(alone, answers);
    const all = await outcome(together, batch.body.results);
    expect(all).toEqual(one);
    // Not vacuous: rules fired, flags passed down, both verdicts given, a duplicate answered.
    const rules = new Set(one.flags.flat().map((f) => f.rule));
    expect([...rules].sort()).toEqual(['OFF_ROUTE', 'QR_CLONED', 'WEIGHT_DISCREPANCY']);
    expect(one.flags.flat().some((f) => f.inherited)).toBe(true);
    expect(new Set(one.records.map((r) => r.verdict))).toEqual(new Set(['pass', 'hold']));
    expect(one.records.at(-1)?.status).toBe('duplicate');
  });

  it('records of many subjects applied as sets answer as one request each would', async () => {
    // Many lanes a few records deep: the batch applies them by waves of one record per lane.
    // A kilogram of mercury each: the miner's monthly quota holds all of them.
    const declare = async () => {
      const ms: { id: string; qrUrl: string }[] = [];
      for (let i = 0; i < 6; i++) ms.push(await declareMovement(t, w, { quantity: '1.000' }));
      return ms;
    };
    const alone = await declare();
    const together = await declare();
    const plan = Array.from({ length: 36 }, (_, i) => ({
      subject: i % 6,
      over: {
        observedQuantity: i % 5 === 0 ? '0.500' : '1.000',
        outcome: i % 11 === 7 ? 'seized' : 'passed',
      },
    }));
    const verdicts: string[] = [];
    for (const { subject, over } of plan) {
      const { movementId: _, ...body } = inspectionBody(w, alone[subject] as { id: string }, {
        token: (alone[subject] as { qrUrl: string }).qrUrl,
        ...over,
      });
      const res = await t.call('POST', '/v1/inspections', { token: w.mazukoToken, body });
      expect(res.status).toBe(201);
      verdicts.push(res.body.verdict);
    }
    const batch = await sync(
      plan.map(({ subject, over }) =>
        inspectionRecord(together[subject] as { id: string; qrUrl: string }, over),
      ),
    );
    expect(batch.body.counts).toEqual({ applied: 36, duplicate: 0, rejected: 0 });
    expect(batch.body.results.map((r: { verdict: string }) => r.verdict)).toEqual(verdicts);
    const state = async (ms: { id: string }[]) =>
      Promise.all(
        ms.map(async (m) => ({
          status: rowsOf<{ status: string }>(
            await t.db.execute(sql`SELECT status FROM movements WHERE id = ${m.id}`),
          )[0]?.status,
          flags: rowsOf<{ n: string }>(
            await t.db.execute(sql`SELECT count(*)::text AS n FROM flags WHERE subject_id = ${m.id}`),
          )[0]?.n,
        })),
      );
    expect(await state(together)).toEqual(await state(alone));
    expect(new Set(verdicts)).toEqual(new Set(['pass', 'hold']));
  });
});

describe('a mercury consignment end to end: declared, inspected offline, synced, reported', () => {
  it('a supplier declares mercury to a miner; Mazuko inspects it offline and syncs; the regulator sees it against the quota; a retry changes nothing; another post is refused', async () => {
    // The supplier declares 2.5 kg of mercury to the miner, on the Interoceánica.
    const declared = await t.call('POST', '/v1/movements', {
      token: w.supplierToken,
      body: {
        input: 'mercury',
        quantity: '2.5',
        unit: 'kg',
        consignorId: w.supplier.id,
        consigneeId: w.miner.id,
        destination: { concessionId: w.concession.id },
        vehicle: 'V1Q-123',
        route: 'Interoceánica Sur',
      },
    });
    expect(declared.status).toBe(201);
    const m = declared.body;

    // Offline at Mazuko: the device checks the QR against the ledger key it fetched earlier...
    const jwks = (await t.call('GET', '/.well-known/jwks.json')).body;
    const jws = m.qrUrl.split('/v/')[1];
    const { payload } = await compactVerify(jws, await importJWK(jwks.keys[0], 'ES256'));
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual({ t: 'movement', i: m.id, c: m.code });
    // ...and stores its inspection, made two hours before it gets a connection.
    const occurredAt = new Date(Date.now() - 2 * 3_600_000).toISOString();
    const record = {
      kind: 'inspection',
      token: m.qrUrl,
      checkpointId: w.mazuko.id,
      observedQuantity: '2.500',
      outcome: 'passed',
      occurredAt,
      clientId: randomUUID(),
    };
    const synced = await sync([record]);
    expect(synced.body.results).toEqual([
      {
        index: 0,
        kind: 'inspection',
        clientId: record.clientId,
        status: 'applied',
        id: expect.any(String),
        verdict: 'pass',
      },
    ]);

    // The regulator sees the movement inspected at Mazuko, and the miner's month against its quota.
    const seen = await t.call('GET', `/v1/movements?checkpointId=${w.mazuko.id}`, {
      token: w.regulatorToken,
    });
    expect(seen.body.items).toHaveLength(1);
    expect(seen.body.items[0]).toMatchObject({ id: m.id, status: 'in_transit', consigneeId: w.miner.id });
    const quota = async () =>
      (await t.call('GET', `/v1/actors/${w.miner.id}/quotas`, { token: w.regulatorToken })).body.quotas.find(
        (q: { input: string }) => q.input === 'mercury',
      );
    expect(await quota()).toEqual({
      input: 'mercury',
      unit: 'kg',
      quota: '200.000',
      received: '2.500',
      remaining: '197.500',
      registrationId: w.minerRegistration.id,
    });
    const inspection = await t.db.execute(sql`SELECT occurred_at FROM inspections`);
    const rows = (Array.isArray(inspection) ? inspection : (inspection as { rows: unknown[] }).rows) as {
      occurred_at: string | Date;
    }[];
    expect(new Date(rows[0]?.occurred_at ?? 0).toISOString()).toBe(occurredAt);

    // The device retries the sync (it never saw the answer): nothing changes.
    const before = await countRows(t, sql`SELECT count(*)::text AS n FROM events`);
    const retried = await sync([record]);
    expect(retried.body.results[0]).toMatchObject({ status: 'duplicate', id: synced.body.results[0].id });
    expect(await countRows(t, sql`SELECT count(*)::text AS n FROM events`)).toBe(before);
    expect(await count('inspections')).toBe(1);
    expect(await quota()).toMatchObject({ received: '2.500', remaining: '197.500' });
    expect(await countRows(t, sql`SELECT count(*)::text AS n FROM flags`)).toBe(0);

    // Staff of Puerto Maldonado cannot record an inspection at Mazuko, online or offline.
    const foreign = { ...record, clientId: randomUUID() };
    const online = await t.call('POST', '/v1/inspections', {
      token: w.maldonadoToken,
      body: { ...foreign, kind: undefined },
    });
    expect(online.status).toBe(403);
    const offline = await sync([foreign], w.maldonadoToken);
    expect(offline.body.results[0]).toMatchObject({ status: 'rejected', error: { status: 403 } });
    expect(await count('inspections')).toBe(1);
  });
});
