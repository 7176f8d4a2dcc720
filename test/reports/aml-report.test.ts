import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { amlCsv, amlCsvColumns } from '../../src/routes/reports/csv.js';
import type { TestContext } from '../helpers/app.js';
import { adminDb } from '../helpers/db.js';
import { box, type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
import { insertFlag } from '../helpers/flags.js';
import { worldPerFile } from '../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

const report = async (query = '', token = w.regulatorToken) => {
  const res = await t.call('GET', `/v1/reports/aml${query}`, { token });
  expect(res.status, res.text).toBe(200);
  return res;
};

/**
 * A protected area over the goldWorld concession's middle, and a lot registered inside it. The
 * zone was retired before today: in force when the lot's gold was extracted (2026-10-01), so its
 * origin is caught, but not when goldWorld's movements to the concession were declared, so the
 * destination rule leaves them alone and the only flags are those each test chooses.
 */
async function lotInReserve(over: Record<string, unknown> = {}) {
  const zone = await t.call('POST', '/v1/zones', {
    token: w.admin,
    body: {
      name: 'Reserva Nacional Tambopata',
      kind: 'protected_area',
      legalBasis: 'D.S. N° 048-2000-AG',
      validFrom: '2000-09-04',
      validTo: '2026-11-01',
      geometry: box(-70.11, -12.95, -70.09, -12.94),
    },
  });
  expect(zone.status, zone.text).toBe(201);
  const lot = await registerLot(t, w, { origin: { type: 'Point', coordinates: [-70.1, -12.945] }, ...over });
  expect(lot.flags.map((f: { rule: string }) => f.rule)).toEqual(['ORIGIN_IN_EXCLUSION_ZONE']);
  return { zone: zone.body, lot };
}

/** Lots outside the reserve (inside the concession): clean unless a test flags them. */
const cleanLot = (grossWeightG: string) =>
  registerLot(t, w, { origin: { type: 'Point', coordinates: [-70.085, -12.955] }, grossWeightG });

const movementIds = async () =>
  rowsOf<{ id: string; input: string }>(
    await t.db.execute(sql`SELECT id, input FROM movements ORDER BY input`),
  );

const setRaisedAt = (flagId: string, at: string) =>
  t.db.execute(sql`UPDATE flags SET created_at = ${at}::timestamptz WHERE id = ${flagId}`);

/** RFC 4180: fields separated by commas, quoted when they hold commas, quotes or line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') {
      if (field !== '') throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else if (ch === '\n' || ch === '\r') {
      throw new Error(`bare line break outside quotes at ${i}`);
    } else field += ch;
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || row.length > 0) throw new Error('last record does not end with CRLF');
  return rows;
}

/**
 * The CSV starts with a UTF-8 byte order mark (for Excel); the records follow it. Decoding the
 * answer as text (fetch's Response.text) drops it already; amlCsv's string still has it.
 */
const withoutBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** The answer's first bytes, before any decoding. */
const firstBytes = async (path: string, n: number) => {
  const res = await t.app.request(path, { headers: { authorization: `Bearer ${w.regulatorToken}` } });
  return [...new Uint8Array(await res.arrayBuffer()).slice(0, n)];
};

const records = (text: string) => {
  const [header, ...rows] = parseCsv(withoutBom(text));
  return rows.map((r) => Object.fromEntries((header ?? []).map((h, i) => [h, r[i]])));
};

describe('AML report', () => {
  it('lists the lots and movements flagged in the period with actors, weights, origin and evidence, by risk', async () => {
    const { zone, lot: inReserve } = await lotInReserve();
    const small = await cleanLot('1000.000');
    const large = await cleanLot('2000.000');
    const reviewed = await cleanLot('5000.000');
    const unflagged = await cleanLot('9000.000');
    const [diesel] = await movementIds();
    if (!diesel) throw new Error('goldWorld declares movements');
    const fSmall = await insertFlag(t.db, {
      subjectId: small.id,
      rule: 'PRODUCTION_OVER_CAPACITY',
      severity: 'high',
    });
    const fLarge = await insertFlag(t.db, { subjectId: large.id, rule: 'STRUCTURING', severity: 'high' });
    const fReviewed = await insertFlag(t.db, {
      subjectId: reviewed.id,
      rule: 'PRODUCER_NOT_FORMALIZED',
      severity: 'low',
    });
    const fMovement = await insertFlag(t.db, {
      subjectType: 'movement',
      subjectId: diesel.id,
      rule: 'OVER_QUOTA',
      severity: 'medium',
    });
    const dismissal = await t.call('POST', `/v1/flags/${fReviewed.id}/review`, {
      token: w.regulatorToken,
      body: { decision: 'dismiss', reason: 'formalization certificate shown on inspection' },
    });
    expect(dismissal.status, dismissal.text).toBe(200);

    const res = await report();
    const r = res.body;
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r).toMatchObject({ from: daysAgo(29), to: today(), thresholdsVersion: expect.any(String) });
    expect(r.items.map((i: { code: string }) => i.code)).toEqual([
      inReserve.code, // critical
      large.code, // high, 1740 g fine
      small.code, // high, 870 g fine
      (await t.call('GET', `/v1/movements/${diesel.id}`, { token: w.regulatorToken })).body.code, // medium
      reviewed.code, // dismissed: none
    ]);
    expect(r.items.map((i: { riskLevel: string }) => i.riskLevel)).toEqual([
      'critical',
      'high',
      'high',
      'medium',
      'none',
    ]);
    expect(r.items.some((i: { id: string }) => i.id === unflagged.id)).toBe(false);
    expect(r.totals).toEqual({
      lots: 4,
      movements: 1,
      flags: 5,
      bySeverity: { low: 1, medium: 1, high: 2, critical: 1 },
    });

    const [first, , , movement, last] = r.items;
    expect(first).toMatchObject({
      subjectType: 'lot',
      id: inReserve.id,
      status: 'active',
      producer: { id: w.miner.id, taxId: '20600000011', name: 'Minera Guacamayo SAC' },
      custodian: { id: w.miner.id, taxId: '20600000011' },
      concession: { id: w.concession.id, code: '07-000123' },
      origin: { lon: -70.1, lat: -12.945 },
      extractedOn: '2026-10-01',
      grossWeightG: '1000.000',
      fineWeightG: '870.000',
      export: null,
      reviewState: { open: 1, acknowledged: 0, escalated: 0, dismissed: 0 },
      flagsOutsidePeriod: 0,
    });
    expect(first.flags).toHaveLength(1);
    expect(first.flags[0]).toMatchObject({
      rule: 'ORIGIN_IN_EXCLUSION_ZONE',
      severity: 'critical',
      status: 'open',
      inheritedFrom: null,
      reviewedBy: null,
      evidence: { zoneId: zone.id },
    });
    expect(first.flags[0].summary).toMatch(
      /lies [\d.]+ m inside protected_area "Reserva Nacional Tambopata"/,
    );
    expect(Date.parse(first.flags[0].raisedAt)).toBeGreaterThan(Date.now() - 600_000);
    expect(movement).toMatchObject({
      subjectType: 'movement',
      id: diesel.id,
      consignor: { id: w.supplier.id, taxId: '20600000066' },
      consignee: { id: w.miner.id, taxId: '20600000011' },
      input: 'diesel',
      quantity: '20000.000',
      unit: 'L',
      route: 'Interoceánica Sur',
      destination: { kind: 'concession', concessionId: w.concession.id, concessionCode: '07-000123' },
      flags: [{ id: fMovement.id, rule: 'OVER_QUOTA', severity: 'medium' }],
    });
    expect(last).toMatchObject({
      id: reviewed.id,
      riskLevel: 'none',
      reviewState: { open: 0, dismissed: 1 },
      flags: [
        {
          id: fReviewed.id,
          status: 'dismissed',
          reviewedBy: expect.any(String),
          reviewReason: 'formalization certificate shown on inspection',
          reviewedAt: expect.any(String),
        },
      ],
    });
    expect(r.items[1].flags[0].id).toBe(fLarge.id);
    expect(r.items[2].flags[0].id).toBe(fSmall.id);
  });

  it('a lot split from a flagged one appears with the inherited flag, and the report follows a review of the source', async () => {
    const { lot } = await lotInReserve();
    const split = await t.call('POST', `/v1/lots/${lot.id}/split`, {
      token: w.minerToken,
      body: { parts: [{ grossWeightG: '400.000' }, { grossWeightG: '600.000' }] },
    });
    expect(split.status, split.text).toBe(201);
    const [small, large] = split.body.children;
    const source = lot.flags[0].id;

    const r = (await report()).body;
    // All critical: the consumed parent's 870 g, then its parts' 522 g and 348 g.
    expect(r.items.map((i: { id: string }) => i.id)).toEqual([lot.id, large.id, small.id]);
    const child = r.items[1];
    expect(child).toMatchObject({ riskLevel: 'critical', fineWeightG: '522.000' });
    expect(child.flags).toMatchObject([
      { rule: 'ORIGIN_IN_EXCLUSION_ZONE', inheritedFrom: source, status: 'open' },
    ]);
    expect(child.flags[0].summary).toContain(`(inherited from lot ${lot.id})`);
    expect(r.items[0].status).toBe('consumed');
    expect(r.items[2].flags[0].inheritedFrom).toBe(source);
    // The Spanish CSV says where an inherited flag came from, in Spanish.
    const csvRows = records((await report('?format=csv')).text);
    expect(csvRows[1]?.['Resumen de la evidencia']).toMatch(
      new RegExp(`^Oro extraído .*: El origen .* \\(heredada del lote ${lot.id}\\)$`),
    );

    const ack = await t.call('POST', `/v1/flags/${source}/review`, {
      token: w.regulatorToken,
      body: { decision: 'acknowledge', reason: 'case opened with the prosecutor' },
    });
    expect(ack.status, ack.text).toBe(200);
    const after = (await report()).body;
    for (const item of after.items) {
      expect(item.riskLevel).toBe('none');
      expect(item.reviewState).toMatchObject({ open: 0, acknowledged: 1 });
    }
  });

  it('counts a flag raised on the first and the last day of the period, and none outside it', async () => {
    const inside = await cleanLot('1000.000');
    const outside = await cleanLot('2000.000');
    const edges = await cleanLot('3000.000');
    const fInside = await insertFlag(t.db, { subjectId: inside.id, rule: 'STRUCTURING', severity: 'medium' });
    const fBefore = await insertFlag(t.db, { subjectId: outside.id, rule: 'STRUCTURING', severity: 'high' });
    const fAfter = await insertFlag(t.db, { subjectId: outside.id, rule: 'STRUCTURING', severity: 'high' });
    const fFirst = await insertFlag(t.db, { subjectId: edges.id, severity: 'low' });
    const fLast = await insertFlag(t.db, { subjectId: edges.id, severity: 'low' });
    const fLater = await insertFlag(t.db, { subjectId: edges.id, severity: 'critical' });
    await setRaisedAt(fInside.id, '2026-01-15T12:00:00Z');
    await setRaisedAt(fBefore.id, '2025-12-31T23:59:59.999Z');
    await setRaisedAt(fAfter.id, '2026-02-01T00:00:00Z');
    await setRaisedAt(fFirst.id, '2026-01-01T00:00:00Z');
    await setRaisedAt(fLast.id, '2026-01-31T23:59:59.999Z');
    await setRaisedAt(fLater.id, '2026-03-01T00:00:00Z');

    const r = (await report('?from=2026-01-01&to=2026-01-31')).body;
    expect(r).toMatchObject({ from: '2026-01-01', to: '2026-01-31' });
    // edges ranks by its risk now (the later critical flag), though that flag is not listed.
    expect(r.items.map((i: { id: string }) => i.id)).toEqual([edges.id, inside.id]);
    expect(r.items[0].flags.map((f: { id: string }) => f.id)).toEqual([fFirst.id, fLast.id]);
    expect(r.items[0]).toMatchObject({ riskLevel: 'critical', flagsOutsidePeriod: 1 });
    expect(r.items[0].flags[0].raisedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(r.totals).toMatchObject({ lots: 2, movements: 0, flags: 3 });

    const none = (await report('?from=2026-04-01&to=2026-04-30')).body;
    expect(none.items).toEqual([]);
    expect(none.totals).toEqual({
      lots: 0,
      movements: 0,
      flags: 0,
      bySeverity: { low: 0, medium: 0, high: 0, critical: 0 },
    });
  });

  it('as CSV: one RFC 4180 row per subject, names with commas, quotes and line breaks intact, formulas defused', async () => {
    // Names as users may type them; renamed in place so the clean world raises no other flag.
    const producerName = 'Minera "El Dorado", Línea\r\nDos';
    await (await adminDb()).execute(sql`UPDATE actors SET name = ${producerName} WHERE id = ${w.miner.id}`);
    await (await adminDb()).execute(
      sql`UPDATE actors SET name = ${'=HYPERLINK("http://x.example","clic")'} WHERE id = ${w.supplier.id}`,
    );
    const { lot } = await lotInReserve();
    const [diesel] = await movementIds();
    if (!diesel) throw new Error('goldWorld declares movements');
    await insertFlag(t.db, {
      subjectType: 'movement',
      subjectId: diesel.id,
      rule: 'OVER_QUOTA',
      severity: 'medium',
    });
    await insertFlag(t.db, {
      subjectType: 'movement',
      subjectId: diesel.id,
      rule: 'CONSIGNEE_NOT_AUTHORIZED',
      severity: 'high',
    });
    const dismissed = await insertFlag(t.db, {
      subjectType: 'movement',
      subjectId: diesel.id,
      rule: 'OVER_QUOTA',
      severity: 'low',
      status: 'dismissed',
    });
    const from = daysAgo(6);
    const to = today();

    const res = await report(`?from=${from}&to=${to}&format=csv&lang=en`);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="aml-${from}-${to}.csv"`);
    const [header] = parseCsv(withoutBom(res.text));
    expect(header).toEqual([...amlCsvColumns]);
    // The string itself starts with the mark (Response.text() above dropped it when decoding).
    expect(amlCsv((await report()).body, 'en').charCodeAt(0)).toBe(0xfeff);
    const rows = records(res.text);
    expect(rows).toHaveLength(2);
    const [lotRow, movementRow] = rows;
    expect(lotRow).toMatchObject({
      risk_level: 'critical',
      subject_type: 'gold lot',
      code: lot.code,
      id: lot.id,
      status: 'active',
      producer_tax_id: '20600000011',
      producer_name: producerName,
      custodian_tax_id: '20600000011',
      custodian_name: producerName,
      consignor_tax_id: '',
      gross_weight_g: '1000.000',
      fine_weight_g: '870.000',
      origin_lon: '-70.1',
      origin_lat: '-12.945',
      concession_code: '07-000123',
      extracted_on: '2026-10-01',
      rules: 'ORIGIN_IN_EXCLUSION_ZONE',
      review_state: 'open=1',
      flag_count: '1',
    });
    expect(lotRow?.evidence_summary).toMatch(/^ORIGIN_IN_EXCLUSION_ZONE: origin \[-70\.1,-12\.945\] lies /);
    expect(lotRow?.first_flagged_at).toBe(lot.flags[0] && (await flagCreatedAt(lot.flags[0].id)));
    expect(movementRow).toMatchObject({
      risk_level: 'high',
      subject_type: 'input consignment',
      consignor_tax_id: '20600000066',
      consignor_name: `'=HYPERLINK("http://x.example","clic")`,
      consignee_tax_id: '20600000011',
      consignee_name: producerName,
      producer_tax_id: '',
      quantity: '20000.000',
      unit: 'L',
      input: 'diesel',
      route: 'Interoceánica Sur',
      destination: 'concession 07-000123',
      rules: 'OVER_QUOTA;CONSIGNEE_NOT_AUTHORIZED',
      max_severity: 'high',
      review_state: 'open=2;dismissed=1',
      flag_count: '3',
    });
    expect(movementRow?.evidence_summary?.split(' | ')).toHaveLength(3);
    expect(res.text).toContain(`"Minera ""El Dorado"", Línea\r\nDos"`);
    expect(dismissed.status).toBe('dismissed');
  });

  it('as CSV in Spanish by default: UTF-8 BOM, Spanish headers, values in words, LA/FT file name, quoting and formulas defused', async () => {
    const producerName = 'Minera Ñawi "Oro", Línea\r\nDos';
    await (await adminDb()).execute(sql`UPDATE actors SET name = ${producerName} WHERE id = ${w.miner.id}`);
    await (await adminDb()).execute(
      sql`UPDATE actors SET name = ${'@SUM(A1:A9)'} WHERE id = ${w.supplier.id}`,
    );
    const { lot } = await lotInReserve();
    const [diesel] = await movementIds();
    if (!diesel) throw new Error('goldWorld declares movements');
    await insertFlag(t.db, {
      subjectType: 'movement',
      subjectId: diesel.id,
      rule: 'OVER_QUOTA',
      severity: 'medium',
    });
    const from = daysAgo(6);
    const to = today();
    const res = await report(`?from=${from}&to=${to}&format=csv`);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-language')).toBe('es');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="informe-LAFT-${from}-${to}.csv"`,
    );
    // The byte order mark is there as bytes, EF BB BF, before the first header.
    expect(await firstBytes(`/v1/reports/aml?from=${from}&to=${to}&format=csv`, 4)).toEqual([
      0xef,
      0xbb,
      0xbf,
      'N'.charCodeAt(0),
    ]);
    expect(await firstBytes(`/v1/reports/aml?from=${from}&to=${to}&format=csv&lang=en`, 3)).toEqual([
      0xef, 0xbb, 0xbf,
    ]);
    const [header] = parseCsv(withoutBom(res.text));
    expect(header?.slice(0, 5)).toEqual(['Nivel de riesgo', 'Tipo', 'Código', 'Id', 'Estado']);
    expect(header).toContain('Reglas');
    expect(header).toContain('Oro fino (g)');
    expect(header).toHaveLength(amlCsvColumns.length);
    expect(res.text).not.toMatch(/\bALA\b/);
    const [lotRow, movementRow] = records(res.text);
    expect(lotRow).toMatchObject({
      'Nivel de riesgo': 'crítico',
      Tipo: 'lote de oro',
      Código: lot.code,
      Estado: 'activo',
      Productor: producerName,
      'RUC del productor': '20600000011',
      // Decimals with a point and no grouping: what Excel in es-PE and every tool read as numbers.
      'Peso bruto (g)': '1000.000',
      'Oro fino (g)': '870.000',
      'Longitud del origen': '-70.1',
      'Reglas (códigos)': 'ORIGIN_IN_EXCLUSION_ZONE',
      Reglas:
        'Oro extraído dentro de una zona de exclusión (área protegida, zona de amortiguamiento o prohibida)',
      'Severidad máxima': 'crítico',
      'Estado de revisión': 'abierta=1',
      Alertas: '1',
    });
    expect(movementRow).toMatchObject({
      'Nivel de riesgo': 'medio',
      Tipo: 'envío de insumos',
      Estado: 'declarado',
      Insumo: 'diésel',
      Unidad: 'L',
      Cantidad: '20000.000',
      Destino: 'concesión 07-000123',
      Remitente: `'@SUM(A1:A9)`,
      Reglas: 'El envío supera la cuota mensual autorizada',
    });
    expect(res.text).toContain('"Minera Ñawi ""Oro"", Línea\r\nDos"');
    // The evidence in the words the screens use: the rule named, the facts in Spanish, numbers
    // and coordinates as Peru reads them — no rule's English sentence, no code.
    const summary = lotRow?.['Resumen de la evidencia'] ?? '';
    expect(summary).toMatch(
      /^Oro extraído dentro de una zona de exclusión [^:]*: El origen \(-12\.945\d*, -70\.1\d*\) está [\d,.]+ m dentro de «[^»]+»/,
    );
    expect(summary).not.toMatch(/\b(origin|lies|inside|evidence|the)\b|[A-Z]+_[A-Z]+/);
    expect(movementRow?.['Resumen de la evidencia']).toMatch(
      /^El envío supera la cuota mensual autorizada: /,
    );
    expect(header).not.toContain('Resumen de la evidencia (en inglés)');
    // Instants as Excel reads a date and time, in UTC as the header says.
    expect(lotRow?.['Primera alerta (UTC)']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    // English on request: the stable column ids and English words.
    const en = await report(`?from=${from}&to=${to}&format=csv&lang=en`);
    expect(en.headers.get('content-language')).toBe('en');
    const [enLot] = records(en.text);
    expect(enLot).toMatchObject({ risk_level: 'critical', subject_type: 'gold lot', status: 'active' });
    // English keeps what scripts read: the rule's code and the sentence the rule wrote.
    expect(enLot?.evidence_summary).toMatch(/^ORIGIN_IN_EXCLUSION_ZONE: origin /);
    // The JSON is the same whatever lang says.
    const json = await report(`?from=${from}&to=${to}&lang=en`);
    expect((await report(`?from=${from}&to=${to}`)).body.items).toEqual(json.body.items);
  });

  it('carries the money trail of a lot: every hand-over in JSON, the latest in CSV, with the money rules’ flags', async () => {
    const lot = await cleanLot('1000.000');
    // Sold in cash at half the gold's value, then exported by bank transfer at a fair price.
    const sold = await t.call('POST', `/v1/lots/${lot.id}/transfers`, {
      token: w.minerToken,
      body: {
        toActorId: w.trader.id,
        price: { amount: '190000', currency: 'PEN' },
        payment: { method: 'cash', reference: '=HYPERLINK("http://x.example","recibo")' },
        invoice: { number: 'B001-00000042, copia', issuedOn: today() },
      },
    });
    expect(sold.status, sold.text).toBe(200);
    const exported = await t.call('POST', `/v1/lots/${lot.id}/export`, {
      token: w.traderToken,
      body: {
        customsDeclaration: 'DAM 118-2026-40-000777',
        destinationCountry: 'AE',
        exportedOn: today(),
        price: { amount: '112000.00', currency: 'USD' },
        payment: { method: 'bank_transfer', reference: 'SWIFT 7788' },
        invoice: { number: 'F001-00000777', issuedOn: today() },
      },
    });
    expect(exported.status, exported.text).toBe(200);

    const r = (await report()).body;
    const item = r.items.find((i: { id: string }) => i.id === lot.id);
    expect(item.handOvers).toEqual([
      {
        id: expect.any(String),
        operation: 'transfer',
        occurredAt: expect.stringMatching(/Z$/),
        from: { id: w.miner.id, taxId: '20600000011', name: 'Minera Guacamayo SAC' },
        to: { id: w.trader.id, taxId: '20600000044', name: 'Acopiadora Inambari' },
        grossWeightG: '1000.000',
        fineWeightG: '870.000',
        price: { amount: '190000.00', currency: 'PEN' },
        payment: { method: 'cash', reference: '=HYPERLINK("http://x.example","recibo")' },
        invoice: { number: 'B001-00000042, copia', issuedOn: today() },
      },
      expect.objectContaining({
        operation: 'export',
        from: expect.objectContaining({ taxId: '20600000044' }),
        to: null,
        price: { amount: '112000.00', currency: 'USD' },
        payment: { method: 'bank_transfer', reference: 'SWIFT 7788' },
      }),
    ]);
    const byRule = Object.fromEntries(item.flags.map((f: { rule: string }) => [f.rule, f]));
    expect(Object.keys(byRule).sort()).toEqual(['CASH_ABOVE_THRESHOLD', 'PRICE_ANOMALY']);
    expect(byRule.CASH_ABOVE_THRESHOLD).toMatchObject({
      severity: 'high',
      evidence: { handOverId: item.handOvers[0].id, payment: { method: 'cash' } },
    });
    expect(byRule.CASH_ABOVE_THRESHOLD.summary).toContain('paid in cash: S/ 190,000.00');
    expect(byRule.PRICE_ANOMALY.evidence).toMatchObject({
      direction: 'below',
      handOverId: item.handOvers[0].id,
    });
    expect(byRule.PRICE_ANOMALY.summary).toMatch(/\d+ % below the reference/);

    const csv = await report('?format=csv&lang=en');
    const row = records(csv.text).find((x) => x.id === lot.id);
    expect(row).toMatchObject({
      handover_count: '2',
      last_handover_operation: 'export',
      last_handover_to_tax_id: '',
      last_price_amount: '112000.00',
      last_price_currency: 'USD',
      last_payment_method: 'bank transfer',
      last_payment_reference: 'SWIFT 7788',
      last_invoice_number: 'F001-00000777',
      last_invoice_issued_on: today(),
    });
    // Raised by one statement, in the same instant: in either order.
    expect(row?.rules?.split(';').sort()).toEqual(['CASH_ABOVE_THRESHOLD', 'PRICE_ANOMALY']);
    expect(row?.evidence_summary).toContain('CASH_ABOVE_THRESHOLD: lot');
    // The cash hand-over's reference, a formula, reaches the CSV only inside the evidence
    // summary's sentence (not at a cell's start); as the latest hand-over it would be defused:
    const reversed = amlCsv({ ...r, items: [{ ...item, handOvers: [...item.handOvers].reverse() }] }, 'en');
    const cell = records(reversed)[0];
    expect(cell?.last_payment_reference).toBe(`'=HYPERLINK("http://x.example","recibo")`);
    expect(cell?.last_invoice_number).toBe('B001-00000042, copia');
    expect(reversed).toContain('"B001-00000042, copia"');
  });

  it('regulators only: exporters, checkpoint staff and admins get 403, no token 401', async () => {
    for (const token of [w.minerToken, w.mazukoToken, w.admin]) {
      const res = await t.call('GET', '/v1/reports/aml', { token });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect((await t.call('GET', '/v1/reports/aml?format=csv')).status).toBe(401);
  });

  it('rejects a period that is reversed, longer than 366 days or not made of dates, naming the field', async () => {
    const bad = async (query: string, field: string) => {
      const res = await t.call('GET', `/v1/reports/aml${query}`, { token: w.regulatorToken });
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body.type).toBe('/problems/validation');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    };
    await bad('?from=2026-02-01&to=2026-01-31', 'query.from');
    await bad('?from=2025-01-01&to=2026-01-02', 'query.to');
    await bad('?from=2026-02-30&to=2026-03-01', 'query.from');
    await bad('?from=01/02/2026', 'query.from');
    await bad('?format=xlsx', 'query.format');
    // 366 days, a leap year whole: the longest period allowed.
    expect((await report('?from=2024-01-01&to=2024-12-31')).body.items).toEqual([]);
  });

  it('is in the OpenAPI document with both media types', async () => {
    const doc = (await t.call('GET', '/openapi.json')).body;
    const op = doc.paths['/v1/reports/aml'].get;
    expect(Object.keys(op.responses['200'].content).sort()).toEqual(['application/json', 'text/csv']);
    expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'format',
      'from',
      'lang',
      'to',
    ]);
  });
});

const flagCreatedAt = async (id: string) => {
  const [row] = rowsOf<{ at: string }>(
    await t.db.execute(
      sql`SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at FROM flags WHERE id = ${id}`,
    ),
  );
  return row?.at;
};
