import { beforeEach, describe, expect, it } from 'vitest';
import { rescreenConcession } from '../../../src/domain/screening/rescreen.js';
import type { TestContext } from '../../helpers/app.js';
import { box, type GoldWorld, goldWorld, registerLot } from '../../helpers/fixtures.js';
import { worldPerFile } from '../../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

let n = 0;
/** A concession of its own 0.02° square east of Guacamayo I, held by the miner; a lot from its centre. */
async function lotOn(fields: Record<string, unknown>, retiredOn?: string) {
  n += 1;
  const west = -70.0 + n * 0.03;
  const res = await t.call('POST', '/v1/concessions', {
    token: w.admin,
    body: {
      code: `07-9${String(n).padStart(5, '0')}`,
      name: `Derecho ${n}`,
      kind: 'mining',
      holderId: w.miner.id,
      status: 'titled',
      grantedOn: '2012-04-20',
      geometry: box(west, -12.96, west + 0.02, -12.94),
      ...fields,
    },
  });
  expect(res.status, res.text).toBe(201);
  if (retiredOn) {
    const r = await t.call('POST', `/v1/concessions/${res.body.id}/retire`, {
      token: w.admin,
      body: { retiredOn },
    });
    expect(r.status, r.text).toBe(200);
  }
  const lot = await registerLot(t, w, {
    concessionId: res.body.id,
    origin: { type: 'Point', coordinates: [west + 0.01, -12.95] },
  });
  return { concession: res.body, lot, flags: invalidFlags(lot) };
}

type Flag = { rule: string; id: string; severity: string; evidence: Record<string, unknown> };
const invalidFlags = (lot: { flags: Flag[] }) =>
  lot.flags.filter((f) => f.rule === 'CONCESSION_NOT_VALID_MINING') as {
    id: string;
    severity: string;
    evidence: Record<string, unknown>;
  }[];

describe('CONCESSION_NOT_VALID_MINING', () => {
  it('gold declared from a titled chestnut concession is critical, with the facts and the reason', async () => {
    const { concession, flags } = await lotOn({ kind: 'chestnut' });
    expect(flags).toHaveLength(1);
    expect(flags[0]?.severity).toBe('critical');
    expect(flags[0]?.evidence).toMatchObject({
      concessionId: concession.id,
      code: concession.code,
      kind: 'chestnut',
      status: 'titled',
      grantedOn: '2012-04-20',
      retiredOn: null,
      extractedOn: '2026-10-01',
      reasons: ['a chestnut concession, not a mining right'],
    });
  });

  it('severity by status: in process medium, expired and cancelled high; with a wrong kind too, critical with both reasons', async () => {
    const cases: [Record<string, unknown>, string, string[]][] = [
      [{ status: 'in_process' }, 'medium', ['status in_process, not titled']],
      [{ status: 'expired' }, 'high', ['status expired, not titled']],
      [{ status: 'cancelled' }, 'high', ['status cancelled, not titled']],
      [
        { status: 'cancelled', kind: 'timber' },
        'critical',
        ['a timber concession, not a mining right', 'status cancelled, not titled'],
      ],
    ];
    for (const [fields, severity, reasons] of cases) {
      const { flags } = await lotOn(fields);
      expect(
        flags.map((f) => [f.severity, f.evidence.reasons]),
        JSON.stringify(fields),
      ).toEqual([[severity, reasons]]);
    }
  });

  it('retired on or before the extraction date, or granted after it, is high; the day after and the day of are near misses', async () => {
    const retiredBefore = await lotOn({}, '2026-09-01');
    expect(retiredBefore.flags.map((f) => [f.severity, f.evidence.reasons])).toEqual([
      ['high', ['retired on 2026-09-01, on or before the extraction date']],
    ]);
    expect((await lotOn({}, '2026-10-01')).flags).toHaveLength(1);
    const granted = await lotOn({ grantedOn: '2026-10-02' });
    expect(granted.flags.map((f) => [f.severity, f.evidence.reasons])).toEqual([
      ['high', ['granted on 2026-10-02, after the extraction date']],
    ]);
    // Near misses: retired the day after extraction, granted on the extraction date itself.
    expect((await lotOn({}, '2026-10-02')).flags).toEqual([]);
    expect((await lotOn({ grantedOn: '2026-10-01' })).flags).toEqual([]);
  });

  it('a titled mining concession in force raises nothing, and screening again raises nothing twice', async () => {
    expect(invalidFlags(await registerLot(t, w))).toEqual([]);
    const { concession, lot, flags } = await lotOn({ status: 'expired' });
    expect(flags).toHaveLength(1);
    const again = await t.db.transaction((tx) =>
      rescreenConcession(tx, { sub: 'test', role: 'admin' }, concession.id),
    );
    expect(again).toMatchObject({ lotsScreened: 1, flagsRaised: 0 });
    const res = await t.call('GET', `/v1/lots/${lot.id}`, { token: w.regulatorToken });
    expect(invalidFlags(res.body).map((f) => f.id)).toEqual([flags[0]?.id]);
  });
});
