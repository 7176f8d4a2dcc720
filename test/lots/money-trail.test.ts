import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import type { TestContext } from '../helpers/app.js';
import { type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
import { worldPerFile } from '../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

const count = async (table: 'lot_transfers' | 'events') =>
  rowsOf<{ n: number }>(await t.db.execute(sql`SELECT count(*)::int AS n FROM ${sql.raw(table)}`))[0]?.n;

const exportBody = {
  customsDeclaration: 'DAM 118-2026-40-000001',
  destinationCountry: 'CH',
  exportedOn: '2026-12-05',
};

describe('the money trail of a hand-over', () => {
  it('is recorded as declared on the hand-over and in the event', async () => {
    const lot = await registerLot(t, w);
    const res = await t.call('POST', `/v1/lots/${lot.id}/transfers`, {
      token: w.minerToken,
      body: {
        toActorId: w.trader.id,
        price: { amount: 108500.5, currency: 'USD' },
        payment: { method: 'bank_transfer', reference: 'BCP 000123456' },
        invoice: { number: 'F001-00012345', issuedOn: '2026-12-01' },
      },
    });
    expect(res.status, res.text).toBe(200);
    const [row] = rowsOf<Record<string, string>>(
      await t.db.execute(sql`SELECT price_amount::text AS amount, price_currency, payment_method, payment_reference,
                                    invoice_number, invoice_issued_on::text AS issued_on
                               FROM lot_transfers WHERE lot_id = ${lot.id}`),
    );
    expect(row).toEqual({
      amount: '108500.50',
      price_currency: 'USD',
      payment_method: 'bank_transfer',
      payment_reference: 'BCP 000123456',
      invoice_number: 'F001-00012345',
      issued_on: '2026-12-01',
    });
    const [event] = rowsOf<{ payload: Record<string, unknown> | string }>(
      await t.db.execute(
        sql`SELECT payload FROM events WHERE type = 'lot.transferred' AND subject_id = ${lot.id}`,
      ),
    );
    const payload = typeof event?.payload === 'string' ? JSON.parse(event.payload) : event?.payload;
    expect(payload).toMatchObject({
      price: { amount: '108500.50', currency: 'USD' },
      payment: { method: 'bank_transfer', reference: 'BCP 000123456' },
      invoice: { number: 'F001-00012345', issuedOn: '2026-12-01' },
    });
  });

  it.each([
    ['a negative amount', { price: { amount: '-100', currency: 'USD' } }, 'price.amount'],
    ['a zero amount', { price: { amount: '0.00', currency: 'USD' } }, 'price.amount'],
    ['three decimals', { price: { amount: '100.001', currency: 'USD' } }, 'price.amount'],
    ['an amount in words', { price: { amount: 'cien mil', currency: 'PEN' } }, 'price.amount'],
    [
      'an amount with a thousands separator',
      { price: { amount: '100,000', currency: 'PEN' } },
      'price.amount',
    ],
    ['fifteen digits', { price: { amount: '123456789012345', currency: 'USD' } }, 'price.amount'],
    ['an unknown currency', { price: { amount: '100', currency: 'BTC' } }, 'price.currency'],
    ['a price with no currency', { price: { amount: '100' } }, 'price.currency'],
    ['an unknown payment method', { payment: { method: 'barter' } }, 'payment.method'],
    ['an unknown field in payment', { payment: { method: 'cash', bank: 'BCP' } }, 'payment'],
    ['an invoice without its date', { invoice: { number: 'F001-1' } }, 'invoice.issuedOn'],
    [
      'an invoice dated in the future',
      { invoice: { number: 'F001-1', issuedOn: '2999-01-01' } },
      'invoice.issuedOn',
    ],
    ['an invoice with no number', { invoice: { issuedOn: '2026-12-01' } }, 'invoice.number'],
    [
      'a payment reference of 101 characters',
      { payment: { method: 'cash', reference: 'x'.repeat(101) } },
      'payment.reference',
    ],
  ])(
    'refuses %s on a transfer and on an export with a 400 naming the field, writing nothing',
    async (_n, money, field) => {
      const lot = await registerLot(t, w);
      const [transfers, events] = [await count('lot_transfers'), await count('events')];
      for (const [path, body] of [
        ['transfers', { toActorId: w.trader.id, ...money }],
        ['export', { ...exportBody, ...money }],
      ] as const) {
        const res = await t.call('POST', `/v1/lots/${lot.id}/${path}`, { token: w.minerToken, body });
        expect(res.status, `${path}: ${res.text}`).toBe(400);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      expect([await count('lot_transfers'), await count('events')]).toEqual([transfers, events]);
    },
  );

  it('is documented in the OpenAPI document of both transfer and export', async () => {
    const doc = (await t.call('GET', '/openapi.json')).body;
    for (const path of ['/v1/lots/{id}/transfers', '/v1/lots/{id}/export']) {
      const body = doc.paths[path].post.requestBody.content['application/json'].schema;
      expect(body.properties.price.description).toMatch(/PRICE_ANOMALY/);
      expect(body.properties.price.properties.currency.enum).toEqual(['PEN', 'USD', 'EUR']);
      expect(body.properties.price.properties.amount.description).toMatch(/2 decimal places/);
      expect(body.properties.payment.properties.method.enum).toEqual([
        'cash',
        'bank_transfer',
        'cheque',
        'other',
      ]);
      expect(body.properties.invoice.required).toEqual(['number', 'issuedOn']);
      expect(body.properties.invoice.properties.issuedOn.format).toBe('date');
    }
  });
});
