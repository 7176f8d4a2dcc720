import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import type { TestContext } from '../helpers/app.js';
import { declareMovement, type InputsWorld, inputsWorld, inspectionBody } from '../helpers/inputs.js';
import { worldPerFile } from '../helpers/world.js';

let t: TestContext;
let w: InputsWorld;
const world = worldPerFile(inputsWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

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
  return res.body as { id: string; code: string; qrUrl: string };
}

const scanBody = (lot: { qrUrl: string }, over: Record<string, unknown> = {}) => ({
  token: lot.qrUrl,
  checkpointId: w.mazuko.id,
  occurredAt: new Date().toISOString(),
  clientId: randomUUID(),
  ...over,
});

const stored = async (table: 'scans' | 'inspections', clientId: string) =>
  rowsOf<{ entry: string }>(
    await t.db.execute(sql`SELECT entry FROM ${sql.raw(table)} WHERE client_id = ${clientId}`),
  )[0]?.entry;

const eventEntry = async (type: string, clientId: string) =>
  rowsOf<{ entry: string | null }>(
    await t.db.execute(
      sql`SELECT payload ->> 'entry' AS entry FROM events WHERE type = ${type} AND payload ->> 'clientId' = ${clientId}`,
    ),
  )[0]?.entry;

describe('whether a check was typed or read from the QR is recorded', () => {
  it('a scan sent as typed is stored, answered, put in the ledger and shown in the provenance as typed', async () => {
    const lot = await registerLot();
    const typed = scanBody(lot, { entry: 'typed' });
    const res = await t.call('POST', '/v1/scans', { token: w.mazukoToken, body: typed });
    expect(res.status).toBe(201);
    expect(res.body.entry).toBe('typed');
    expect(await stored('scans', typed.clientId)).toBe('typed');
    expect(await eventEntry('lot.scanned', typed.clientId)).toBe('typed');

    const scanned = scanBody(lot);
    const plain = await t.call('POST', '/v1/scans', { token: w.mazukoToken, body: scanned });
    expect(plain.body.entry).toBe('scanned');
    expect(await stored('scans', scanned.clientId)).toBe('scanned');
    expect(await eventEntry('lot.scanned', scanned.clientId)).toBe('scanned');

    const prov = await t.call('GET', `/v1/lots/${lot.id}/provenance`, { token: w.regulatorToken });
    const scans = prov.body.events.filter((e: { type: string }) => e.type === 'lot.scanned');
    expect(scans.map((e: { payload: { entry: string } }) => e.payload.entry).sort()).toEqual([
      'scanned',
      'typed',
    ]);
    const epcis = await t.call('GET', `/v1/lots/${lot.id}/provenance?format=epcis`, {
      token: w.regulatorToken,
    });
    const observed = JSON.stringify(epcis.body);
    expect(observed).toContain('"orotrace:entry":"typed"');
    expect(observed).toContain('"orotrace:entry":"scanned"');
  });

  it('a scan and an inspection queued offline as typed are recorded as typed by the sync', async () => {
    const lot = await registerLot();
    const m = await declareMovement(t, w);
    const scan = { kind: 'scan', ...scanBody(lot, { entry: 'typed' }) };
    const { movementId: _, ...fields } = inspectionBody(w, m, { token: m.qrUrl, entry: 'typed' });
    const inspection = { kind: 'inspection', ...fields };
    const res = await t.call('POST', '/v1/sync', {
      token: w.mazukoToken,
      body: { records: [scan, inspection] },
    });
    expect(res.status).toBe(200);
    expect(res.body.counts.applied).toBe(2);
    expect(await stored('scans', scan.clientId)).toBe('typed');
    expect(await stored('inspections', fields.clientId)).toBe('typed');
    expect(await eventEntry('lot.scanned', scan.clientId)).toBe('typed');
    expect(await eventEntry('movement.inspected', fields.clientId)).toBe('typed');
  });

  it('an inspection naming the movement by id is never recorded as scanned', async () => {
    const m = await declareMovement(t, w);
    const byId = inspectionBody(w, m);
    const res = await t.call('POST', '/v1/inspections', { token: w.mazukoToken, body: byId });
    expect(res.status).toBe(201);
    expect(res.body.entry).toBe('typed');
    expect(await stored('inspections', byId.clientId)).toBe('typed');

    const claimed = inspectionBody(w, m, { entry: 'scanned' });
    const refused = await t.call('POST', '/v1/inspections', { token: w.mazukoToken, body: claimed });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toContain('entry');
    expect(await stored('inspections', claimed.clientId)).toBeUndefined();

    const { movementId: _, ...viaQr } = inspectionBody(w, m, { token: m.qrUrl });
    const read = await t.call('POST', '/v1/inspections', { token: w.mazukoToken, body: viaQr });
    expect(read.body.entry).toBe('scanned');
  });

  it('refuses an entry that is neither scanned nor typed, and writes nothing', async () => {
    const lot = await registerLot();
    const body = scanBody(lot, { entry: 'guessed' });
    const res = await t.call('POST', '/v1/scans', { token: w.mazukoToken, body });
    expect(res.status).toBe(400);
    expect(await stored('scans', body.clientId)).toBeUndefined();
  });

  it('how a scan was made can never be changed afterwards', async () => {
    const lot = await registerLot();
    const body = scanBody(lot, { entry: 'typed' });
    await t.call('POST', '/v1/scans', { token: w.mazukoToken, body });
    await expect(
      t.db.execute(sql`UPDATE scans SET entry = 'scanned' WHERE client_id = ${body.clientId}`),
    ).rejects.toThrow();
    expect(await stored('scans', body.clientId)).toBe('typed');
  });
});
