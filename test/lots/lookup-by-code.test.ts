import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { lots } from '../../src/db/schema/index.js';
import { codeHolds } from '../../src/domain/lots/lots.js';
import { verifyQr } from '../../src/domain/lots/qr.js';
import { canonicalCode, codeFragment } from '../../src/domain/shared/codes.js';
import type { TestContext } from '../helpers/app.js';
import { type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
import { insertFlag } from '../helpers/flags.js';
import { worldPerFile } from '../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

const ids = (body: { items: { id: string }[] }) => body.items.map((l) => l.id);

describe('printed codes as people type them', () => {
  it('reads a code in any case, with or without dashes, spaces or leading zeros', () => {
    for (const typed of ['AU-2026-000123', 'au2026000123', 'au 2026 123', ' Au-2026-123 ', 'AU_2026_0123'])
      expect(canonicalCode(typed), typed).toBe('AU-2026-000123');
    expect(canonicalCode('mv-2026-45')).toBe('MV-2026-000045');
    // Letters that look like digits on a label, and what a keyboard or a scanner adds around it.
    for (const typed of [
      'AU-2O26-OOO123',
      'au-2o26-000l23',
      'AU-2026-000I23',
      'AU-2026-000123\n',
      '\tAU 2026 000 123\r\n',
    ])
      expect(canonicalCode(typed), JSON.stringify(typed)).toBe('AU-2026-000123');
    expect(canonicalCode('MV-2O26-OOOO45')).toBe('MV-2026-000045');
    expect(canonicalCode('AU-2026-1234567')).toBe('AU-2026-1234567');
  });

  it('refuses what cannot be a code, and a movement code where a lot is asked for', () => {
    for (const bad of ['', 'AU', 'AU-26-1', 'XX-2026-000001', '2026-000001', 'AU-2026-', "AU-2026-1' OR 1=1"])
      expect(canonicalCode(bad), bad).toBeNull();
    expect(canonicalCode('MV-2026-000001', 'AU')).toBeNull();
    expect(codeFragment(' -- ')).toBeNull();
    expect(codeFragment('2026-0001')).toBe('20260001');
  });
});

describe('GET /v1/lots?code= and ?q=', () => {
  it('finds the lot a typed code names, for a regulator and for checkpoint staff', async () => {
    const lot = await registerLot(t, w);
    await registerLot(t, w);
    const [, year, n] = lot.code.split('-') as [string, string, string];
    const typed = `au ${year} ${Number(n)}`;
    for (const token of [w.regulatorToken, w.mazukoToken]) {
      const res = await t.call('GET', `/v1/lots?code=${encodeURIComponent(typed)}`, { token });
      expect(res.status).toBe(200);
      expect(ids(res.body)).toEqual([lot.id]);
      // A signed token travels with it: the device verifies the signature as for a scan; checkpoint
      // staff get one signed as looked up, never the label's own.
      if (token === w.regulatorToken) expect(res.body.items[0].qrUrl).toBe(lot.qrUrl);
      else expect(res.body.items[0].qrUrl).not.toBe(lot.qrUrl);
    }
    const none = await t.call('GET', `/v1/lots?code=AU-${year}-999999`, { token: w.mazukoToken });
    expect(none.status).toBe(200);
    expect(none.body.items).toEqual([]);
  });

  it('checkpoint staff checking a typed code read what the check needs, not where or by whom the gold was mined', async () => {
    const lot = await registerLot(t, w);
    await insertFlag(t.db, {
      subjectId: lot.id,
      severity: 'high',
      evidence: { otherName: 'Concesión Vecina' },
    });
    const path = `/v1/lots?code=${lot.code}`;
    const full = (await t.call('GET', path, { token: w.regulatorToken })).body.items[0];
    expect(full.producerId).toBeTruthy();
    expect(full.origin).toBeTruthy();
    expect(full.flags[0].evidence).toMatchObject({ otherName: 'Concesión Vecina' });
    const res = await t.call('GET', path, { token: w.mazukoToken });
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(full.concessionId);
    expect(res.text).not.toContain('Concesión Vecina');
    // One lot checked by its code, as JSON: not a file of lots.
    for (const format of ['&format=csv', '&format=geojson'])
      expect((await t.call('GET', path + format, { token: w.mazukoToken })).status, format).toBe(403);
    const seen = (await t.call('GET', path, { token: w.mazukoToken })).body.items[0];
    expect(seen).toMatchObject({
      id: lot.id,
      code: lot.code,
      status: full.status,
      form: full.form,
      grossWeightG: full.grossWeightG,
      custodianId: full.custodianId,
      producerId: null,
      concessionId: null,
      origin: null,
      extractedOn: null,
    });
    expect(seen.flags).toEqual([{ ...full.flags[0], evidence: {} }]);
  });

  it('checkpoint staff may not browse lots, only check one by its code', async () => {
    await registerLot(t, w);
    for (const path of ['/v1/lots', '/v1/lots?status=active', '/v1/lots?q=AU-20']) {
      const res = await t.call('GET', path, { token: w.mazukoToken });
      expect(res.status, path).toBe(403);
      expect(res.body.type).toBe('/problems/forbidden');
    }
  });

  it('an exporter finds by code only lots it knows', async () => {
    const lot = await registerLot(t, w);
    const path = `/v1/lots?code=${lot.code}`;
    expect(ids((await t.call('GET', path, { token: w.minerToken })).body)).toEqual([lot.id]);
    expect(ids((await t.call('GET', path, { token: w.exporterToken })).body)).toEqual([]);
  });

  it('searches by a fragment of the code on the server, across every page', async () => {
    const lots = [];
    for (let i = 0; i < 12; i++) lots.push(await registerLot(t, w));
    const tenth = lots[9];
    if (!tenth) throw new Error('no tenth lot');
    // "000010" is in one code only; "0001" in the codes 000010 to 000012 (and 000001 to 000009).
    const one = await t.call('GET', '/v1/lots?q=000010', { token: w.regulatorToken });
    expect(ids(one.body)).toEqual([tenth.id]);
    const spelled = await t.call(
      'GET',
      `/v1/lots?q=${encodeURIComponent(tenth.code.toLowerCase().replace(/-0+/, ''))}`,
      {
        token: w.regulatorToken,
      },
    );
    expect(ids(spelled.body)).toEqual([tenth.id]);
    const paged = await t.call('GET', '/v1/lots?q=00001&limit=2', { token: w.regulatorToken });
    expect(paged.body.items).toHaveLength(2);
    expect(paged.body.nextCursor).toBeTruthy();
  });

  it('a fragment is found through the trigram index on the compact code, not by reading every code', async () => {
    await registerLot(t, w);
    const where = codeHolds({ fragment: '000010', code: null });
    const plan = await t.db.transaction(async (tx) => {
      // Three lots are cheaper to scan than to look up: forbid the scan to see what serves the filter.
      await tx.execute(sql`SET LOCAL enable_seqscan = off`);
      return rowsOf<Record<string, string>>(
        await tx.execute(sql`EXPLAIN SELECT ${lots.id} FROM ${lots} WHERE ${where}`),
      );
    });
    const text = plan.map((r) => Object.values(r).join(' ')).join('\n');
    expect(text).toMatch(/lots_code_compact_trgm_idx/);
  });

  it('wildcards, backslashes, NUL and long input reach no LIKE pattern: letters and digits only, or 400', async () => {
    const lot = await registerLot(t, w);
    const other = await registerLot(t, w);
    const n = lot.code.slice(-6);
    // Marks around the digits are dropped: the search is for the digits, never a pattern.
    for (const typed of [`%${n}%`, `_${n}_`, `\\${n}`, `${n}\u0000`, `${n.slice(0, 3)}%${n.slice(3)}`]) {
      const res = await t.call('GET', `/v1/lots?q=${encodeURIComponent(typed)}`, { token: w.regulatorToken });
      expect(res.status, typed).toBe(200);
      expect(ids(res.body), typed).toEqual([lot.id]);
    }
    for (const typed of ['%%%', '___', '\\\\', '\u0000\u0000\u0000', 'a'.repeat(65), '%_\\a1']) {
      const res = await t.call('GET', `/v1/lots?q=${encodeURIComponent(typed)}`, { token: w.regulatorToken });
      expect(res.status, typed).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('query.q');
    }
    expect(other.id).not.toBe(lot.id);
  });

  it.each([
    ['a code that cannot be one', '/v1/lots?code=12345', 'code'],
    ['a movement code', '/v1/lots?code=MV-2026-000001', 'code'],
    ['a fragment too short', '/v1/lots?q=-1', 'q'],
    ['a fragment of only marks', `/v1/lots?q=${encodeURIComponent('%_%')}`, 'q'],
  ])('refuses %s with a problem naming the field', async (_, path, field) => {
    const res = await t.call('GET', path, { token: w.regulatorToken });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(`query.${field}`);
  });

  it('a token handed out by a lookup records only a typed scan: a typed code cannot pass as a scanned one', async () => {
    const lot = await registerLot(t, w);
    const found = (await t.call('GET', `/v1/lots?code=${lot.code}`, { token: w.mazukoToken })).body.items[0];
    expect(await verifyQr([t.ledgerKey.publicJwk], found.qrUrl)).toEqual({
      kind: 'lot',
      id: lot.id,
      code: lot.code,
      lookedUp: true,
    });
    const scan = (token: string, over: Record<string, unknown>) =>
      t.call('POST', '/v1/scans', {
        token: w.mazukoToken,
        body: {
          token,
          checkpointId: w.mazuko.id,
          occurredAt: new Date().toISOString(),
          clientId: randomUUID(),
          ...over,
        },
      });
    for (const over of [{}, { entry: 'scanned' }]) {
      const refused = await scan(found.qrUrl, over);
      expect(refused.status, JSON.stringify(over)).toBe(422);
      expect(refused.body.errors.map((e: { field: string }) => e.field)).toContain('entry');
    }
    const synced = await t.call('POST', '/v1/sync', {
      token: w.mazukoToken,
      body: {
        records: [
          {
            kind: 'scan',
            token: found.qrUrl,
            entry: 'scanned',
            checkpointId: w.mazuko.id,
            occurredAt: new Date().toISOString(),
            clientId: randomUUID(),
          },
        ],
      },
    });
    expect(synced.body.counts).toMatchObject({ applied: 0, rejected: 1 });
    const typed = await scan(found.qrUrl, { entry: 'typed' });
    expect(typed.status).toBe(201);
    expect(typed.body.entry).toBe('typed');
    // The label's own QR still records a scan read from the label.
    expect((await scan(lot.qrUrl, {})).body.entry).toBe('scanned');
    // The public page verifies the looked-up token as genuine: it names the lot, nothing more.
    const page = await t.call('GET', new URL(found.qrUrl).pathname, {
      headers: { accept: 'application/json' },
    });
    expect(page.body.genuine).toBe(true);
  });
});
