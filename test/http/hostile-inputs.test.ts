import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { type CallResult, type TestContext, testApp } from '../helpers/app.js';
import { tableCounts } from '../helpers/counts.js';
import { type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
import { insertFlag } from '../helpers/flags.js';

/**
 * Input that PostgreSQL refuses (a NUL in text, a lone surrogate in a JSON payload, year 0000, a
 * number wider than its column) once reached the database and came back as a 500. Each is now
 * refused before it is written: a 4xx problem naming the field, and no row anywhere.
 */

let t: TestContext;
let w: GoldWorld;
beforeEach(async () => {
  t = await testApp();
  w = await goldWorld(t);
});

async function expectRefused(
  send: () => Promise<CallResult>,
  field: string,
  message: RegExp,
): Promise<CallResult> {
  const before = await tableCounts(t.db);
  const res = await send();
  expect([400, 422], res.text).toContain(res.status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.body).toMatchObject({
    type: expect.any(String),
    status: res.status,
    detail: expect.any(String),
  });
  const named = (res.body.errors ?? []).filter((e: { field: string }) => e.field === field);
  expect(named.length, res.text).toBeGreaterThan(0);
  expect(named.map((e: { message: string }) => e.message).join('; ')).toMatch(message);
  expect(await tableCounts(t.db)).toEqual(before);
  return res;
}

const badTexts = [
  { what: 'a NUL character', text: 'Minera a\u0000b', message: /NUL/ },
  { what: 'a lone surrogate', text: 'Minera \ud800 SAC', message: /surrogate/ },
] as const;

describe.each(badTexts)('text with $what is refused with 400 naming the field', ({ text, message }) => {
  it("in an actor's name", async () => {
    await expectRefused(
      () =>
        t.call('POST', '/v1/actors', {
          token: w.admin,
          body: { taxId: '20600000099', name: text, kinds: ['miner'] },
        }),
      'name',
      message,
    );
  });

  it("in an export's customsDeclaration", async () => {
    const lot = await registerLot(t, w);
    await expectRefused(
      () =>
        t.call('POST', `/v1/lots/${lot.id}/export`, {
          token: w.minerToken,
          body: { customsDeclaration: text, destinationCountry: 'CH', exportedOn: '2026-10-02' },
        }),
      'customsDeclaration',
      message,
    );
  });

  it("in a seizure's reason", async () => {
    const lot = await registerLot(t, w);
    await expectRefused(
      () => t.call('POST', `/v1/lots/${lot.id}/seize`, { token: w.regulatorToken, body: { reason: text } }),
      'reason',
      message,
    );
  });

  it("in a scan's clientId", async () => {
    const lot = await registerLot(t, w);
    await expectRefused(
      () =>
        t.call('POST', '/v1/scans', {
          token: w.mazukoToken,
          body: {
            token: lot.qrUrl,
            checkpointId: w.mazuko.id,
            occurredAt: new Date().toISOString(),
            clientId: `${text}-client-id`,
          },
        }),
      'clientId',
      message,
    );
  });

  it("in a zone's legalBasis", async () => {
    await expectRefused(
      () =>
        t.call('POST', '/v1/zones', {
          token: w.admin,
          body: {
            name: 'Zona de prueba',
            kind: 'mining_exclusion',
            legalBasis: text,
            validFrom: '2020-01-01',
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [-70, -13],
                  [-69.9, -13],
                  [-69.9, -12.9],
                  [-70, -13],
                ],
              ],
            },
          },
        }),
      'legalBasis',
      message,
    );
  });

  it("in a flag review's reason", async () => {
    const lot = await registerLot(t, w);
    const flag = await insertFlag(t.db, { subjectId: lot.id });
    await expectRefused(
      () =>
        t.call('POST', `/v1/flags/${flag.id}/review`, {
          token: w.regulatorToken,
          body: { decision: 'dismiss', reason: text },
        }),
      'reason',
      message,
    );
  });
});

describe('a date outside 1900 … the near future is refused with 400 naming the field', () => {
  const outOfRange = /between 1900-01-01 and/;

  it('year 0000 in extractedOn', async () => {
    await expectRefused(
      () =>
        t.call('POST', '/v1/lots', {
          token: w.minerToken,
          body: {
            producerId: w.miner.id,
            concessionId: w.concession.id,
            origin: { type: 'Point', coordinates: [-70.1, -12.945] },
            extractedOn: '0000-01-01',
            grossWeightG: '1000',
            fineness: '870',
            form: 'dore',
          },
        }),
      'extractedOn',
      outOfRange,
    );
  });

  it('year 0000 in exportedOn', async () => {
    const lot = await registerLot(t, w);
    await expectRefused(
      () =>
        t.call('POST', `/v1/lots/${lot.id}/export`, {
          token: w.minerToken,
          body: { customsDeclaration: 'DAM-118-2026-40', destinationCountry: 'CH', exportedOn: '0000-01-01' },
        }),
      'exportedOn',
      outOfRange,
    );
  });

  it("year 0000 in a scan's occurredAt", async () => {
    const lot = await registerLot(t, w);
    await expectRefused(
      () =>
        t.call('POST', '/v1/scans', {
          token: w.mazukoToken,
          body: {
            token: lot.qrUrl,
            checkpointId: w.mazuko.id,
            occurredAt: '0000-01-01T00:00:00Z',
            clientId: randomUUID(),
          },
        }),
      'occurredAt',
      outOfRange,
    );
  });

  it("year 0000 in the AML report's from and to", async () => {
    await expectRefused(
      () => t.call('GET', '/v1/reports/aml?from=0000-01-01', { token: w.regulatorToken }),
      'query.from',
      outOfRange,
    );
    await expectRefused(
      () => t.call('GET', '/v1/reports/aml?from=0000-01-01&to=0000-01-31', { token: w.regulatorToken }),
      'query.to',
      outOfRange,
    );
  });
});

describe('a weight wider than its column is refused, naming the field', () => {
  it('a gross weight of 999999999999.999 g (12 integer digits; the column holds 11) gets 400', async () => {
    await expectRefused(
      () =>
        t.call('POST', '/v1/lots', {
          token: w.minerToken,
          body: {
            producerId: w.miner.id,
            concessionId: w.concession.id,
            origin: { type: 'Point', coordinates: [-70.1, -12.945] },
            extractedOn: '2026-10-01',
            grossWeightG: '999999999999.999',
            fineness: '870',
            form: 'dore',
          },
        }),
      'grossWeightG',
      /at most 99999999999\.999/,
    );
  });

  it('the largest weight the column holds is accepted', async () => {
    const lot = await registerLot(t, w, { grossWeightG: '99999999999.999', fineness: '1000' });
    expect(lot.grossWeightG).toBe('99999999999.999');
    expect(lot.fineWeightG).toBe('99999999999.999');
  });

  it('a merge whose total would overflow the column gets 422 naming lotIds', async () => {
    const a = await registerLot(t, w, { grossWeightG: '60000000000.000' });
    const b = await registerLot(t, w, { grossWeightG: '60000000000.000' });
    const res = await expectRefused(
      () => t.call('POST', '/v1/lots/merge', { token: w.minerToken, body: { lotIds: [a.id, b.id] } }),
      'lotIds',
      /120000000000\.000 g.*at most 99999999999\.999/,
    );
    expect(res.status).toBe(422);
  });
});

describe('geometries that PostGIS cannot measure are refused before they reach it', () => {
  it('a zone with an edge spanning 360° of longitude (the whole world) gets 400 naming the geometry', async () => {
    await expectRefused(
      () =>
        t.call('POST', '/v1/zones', {
          token: w.admin,
          body: {
            name: 'El mundo',
            kind: 'other',
            legalBasis: 'ninguna',
            validFrom: '2026-10-01',
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [-180, -90],
                  [180, -90],
                  [180, 90],
                  [-180, 90],
                  [-180, -90],
                ],
              ],
            },
          },
        }),
      'geometry.coordinates.0.1',
      /antimeridian/,
    );
  });
});

describe('out-of-range UTC offsets and months', () => {
  it('a scan at +23:59 (PostgreSQL refuses offsets beyond ±15:59) gets 400 naming occurredAt', async () => {
    const lot = await registerLot(t, w);
    await expectRefused(
      () =>
        t.call('POST', '/v1/scans', {
          token: w.mazukoToken,
          body: {
            token: lot.qrUrl,
            checkpointId: w.mazuko.id,
            occurredAt: '2026-01-01T00:00:00+23:59',
            clientId: randomUUID(),
          },
        }),
      'occurredAt',
      /offset is at most 14:00/,
    );
  });

  it('an AML period whose end is no day at all gets 400, not a crash while measuring the period', async () => {
    await expectRefused(
      () => t.call('GET', `/v1/reports/aml?to=${encodeURIComponent('👩🏽‍🔬')}`, { token: w.regulatorToken }),
      'query.to',
      /YYYY-MM-DD/,
    );
  });

  it('a movement list from a number that is no date-time gets 400, not a crash in the range check', async () => {
    await expectRefused(
      () => t.call('GET', '/v1/movements?from=-1361144418', { token: w.admin }),
      'query.from',
      /YYYY-MM-DD/,
    );
  });
});
