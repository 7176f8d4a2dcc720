/**
 * A deployment that changes GS1_COMPANY_PREFIX keeps accepting the labels it printed before
 * (GS1_ACCEPTED_PREFIXES): their Digital Links resolve, scan, sync and match in EPCIS queries,
 * while new labels carry the new prefix; a link under any other prefix is refused, by the server
 * and by a device that verifies with the prefixes the JWKS lists.
 */
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { verifyQr } from '../../src/domain/lots/qr.js';
import { type TestContext, testApp } from '../helpers/app.js';
import { type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
import { worldPerFile } from '../helpers/world.js';

const before = '9520000';
const now = '7612345';

let w: GoldWorld;
/** The ledger as it printed labels under the earlier prefix. */
let old: TestContext;
/** The same database and keys after the change, the earlier prefix still accepted. */
let changed: TestContext;
/** The same after the change, had the operator not listed the earlier prefix. */
let forgot: TestContext;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ w } = await world());
  old = await testApp({ reset: false, qrFormat: 'digital-link' });
  changed = await testApp({
    reset: false,
    qrFormat: 'digital-link',
    gs1: { companyPrefix: now, acceptedPrefixes: [before] },
  });
  forgot = await testApp({ reset: false, qrFormat: 'digital-link', gs1: { companyPrefix: now } });
});

const local = (url: string) => url.replace('http://orotrace.test', '');
const scan = (ctx: TestContext, token: string) =>
  ctx.call('POST', '/v1/scans', {
    token: w.mazukoToken,
    body: { token, checkpointId: w.mazuko.id, occurredAt: new Date().toISOString(), clientId: randomUUID() },
  });

describe('GS1_ACCEPTED_PREFIXES: labels printed under an earlier company prefix', () => {
  it('new labels carry the new prefix; the earlier labels still resolve, scan, sync and match', async () => {
    const lot = await registerLot(old, w);
    expect(lot.qrUrl).toContain(`/8004/${before}${lot.code}?jws=`);
    const reread = (await changed.call('GET', `/v1/lots/${lot.id}`, { token: w.regulatorToken })).body;
    expect(reread.qrUrl).toContain(`/8004/${now}${lot.code}?jws=`);

    const resolved = await changed.call('GET', local(lot.qrUrl), { headers: { accept: 'application/json' } });
    expect(resolved.status).toBe(200);
    expect(resolved.body.genuine).toBe(true);
    expect((await scan(changed, lot.qrUrl)).status).toBe(201);
    const synced = await changed.call('POST', '/v1/sync', {
      token: w.mazukoToken,
      body: {
        records: [
          {
            kind: 'scan',
            token: lot.qrUrl,
            checkpointId: w.mazuko.id,
            occurredAt: new Date().toISOString(),
            clientId: randomUUID(),
          },
        ],
      },
    });
    expect(synced.body.counts).toMatchObject({ applied: 1, rejected: 0 });

    for (const epc of [`urn:epc:id:giai:${before}.${lot.code}`, `urn:epc:id:giai:${now}.${lot.code}`]) {
      const q = await changed.call('GET', `/epcis/events?MATCH_epc=${encodeURIComponent(epc)}`, {
        token: w.regulatorToken,
      });
      expect(q.status, epc).toBe(200);
      expect(q.body.epcisBody.queryResults.resultsBody.eventList.length, epc).toBeGreaterThan(0);
    }
  });

  it('a prefix neither current nor listed is refused everywhere, and so is an earlier one not listed', async () => {
    const lot = await registerLot(old, w);
    const foreign = lot.qrUrl.replace(`/8004/${before}`, '/8004/1234567');
    expect((await scan(changed, foreign)).status).toBe(422);
    expect(
      (await changed.call('GET', local(foreign), { headers: { accept: 'application/json' } })).status,
    ).toBe(404);
    const none = await changed.call('GET', `/epcis/events?MATCH_epc=urn:epc:id:giai:1234567.${lot.code}`, {
      token: w.regulatorToken,
    });
    expect(none.body.epcisBody.queryResults.resultsBody.eventList).toEqual([]);
    // Without GS1_ACCEPTED_PREFIXES the labels printed before the change are refused.
    const refused = await scan(forgot, lot.qrUrl);
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toMatch(/company prefix/);
  });

  it('the JWKS lists the accepted prefixes, and a device verifying with them refuses any other at once', async () => {
    const jwks = await changed.call('GET', '/.well-known/jwks.json');
    expect(jwks.body.gs1CompanyPrefixes).toEqual([now, before]);
    expect((await old.call('GET', '/.well-known/jwks.json')).body.gs1CompanyPrefixes).toEqual([before]);

    const lot = await registerLot(old, w);
    const { keys, gs1CompanyPrefixes } = jwks.body;
    await expect(verifyQr(keys, lot.qrUrl, gs1CompanyPrefixes)).resolves.toMatchObject({ code: lot.code });
    const renewed = lot.qrUrl.replace(`/8004/${before}`, `/8004/${now}`);
    await expect(verifyQr(keys, renewed, gs1CompanyPrefixes)).resolves.toMatchObject({ code: lot.code });
    await expect(
      verifyQr(keys, lot.qrUrl.replace(`/8004/${before}`, '/8004/1234567'), gs1CompanyPrefixes),
    ).rejects.toThrow(/company prefix this ledger does not accept/);
  });
});
