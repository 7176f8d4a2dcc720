import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { demoActors, findDemo, loadDemo } from '../../src/demo/madre-de-dios.js';
import type { DemoCase } from '../../src/demo/scenario.js';
import { ruleCodes } from '../../src/domain/shared/vocabulary.js';
import { type TestContext, testApp } from '../helpers/app.js';

let t: TestContext;
let cases: DemoCase[];
beforeAll(async () => {
  t = await testApp();
  ({ cases } = await loadDemo(t.db, undefined, { ledgerKey: t.ledgerKey, baseUrl: 'http://demo' }));
}, 60_000);

describe('the Madre de Dios demo data set', () => {
  it('is found again after loading, so a restart does not load it twice', async () => {
    const ids = await findDemo(t.db);
    expect(ids?.exporterActorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids?.mazukoCheckpointId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('the exporter that npm start signs in holds a clean, active lot to work on in the exporter desk', async () => {
    const ids = await findDemo(t.db);
    const token = await t.token('exporter', { actor: ids?.exporterActorId ?? '' });
    const res = await t.call('GET', `/v1/lots?custodianId=${ids?.exporterActorId}&status=active`, { token });
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({ status: 'active', riskLevel: 'none', flags: [] });
  });

  it('has mining concessions granted over a chestnut and a timber concession (Guacamayo–La Pampa)', async () => {
    const overlaps = rowsOf<{ mining: string; other: string; kind: string; ha: string }>(
      await t.db.execute(sql`
        SELECT m.code AS mining, o.code AS other, o.kind,
               round((ST_Area(ST_Intersection(m.geom, o.geom)::geography) / 10000)::numeric, 1)::text AS ha
        FROM concessions m JOIN concessions o ON m.geom && o.geom AND ST_Intersects(m.geom, o.geom)
        WHERE m.kind = 'mining' AND o.kind <> 'mining' AND ST_Area(ST_Intersection(m.geom, o.geom)) > 0
        ORDER BY 1, 2`),
    );
    expect(overlaps.map((o) => o.kind).sort()).toEqual(['chestnut', 'timber']);
    for (const o of overlaps) expect(Number(o.ha)).toBeGreaterThan(10);
  });

  it('has the six SERNANP protected areas of Madre de Dios, the Tambopata buffer zone, and a concession inside the buffer zone', async () => {
    const zones = await t.call('GET', '/v1/zones', { token: await t.token('regulator') });
    const names = zones.body.items.map((z: { kind: string; name: string }) => `${z.kind}: ${z.name}`).sort();
    expect(names).toEqual([
      'buffer_zone: Zona de amortiguamiento de la Reserva Nacional Tambopata (tramo oeste; capa parcial)',
      'protected_area: Parque Nacional Alto Purús',
      'protected_area: Parque Nacional Bahuaja-Sonene',
      'protected_area: Parque Nacional Manu',
      'protected_area: Reserva Comunal Amarakaeri',
      'protected_area: Reserva Comunal Purús',
      'protected_area: Reserva Nacional Tambopata',
    ]);
    const inBuffer = rowsOf<{ code: string }>(
      await t.db.execute(sql`
        SELECT c.code FROM concessions c JOIN zones z ON z.kind = 'buffer_zone' AND ST_Intersects(c.geom, z.geom)
        WHERE c.kind = 'mining'`),
    );
    expect(inBuffer.length).toBeGreaterThan(0);
  });

  it('has a formalized, an in-process and an unregistered miner, a trader and an exporter', async () => {
    const reg = await t.token('regulator');
    const status = async (taxId: string) => {
      const list = await t.call('GET', `/v1/actors?q=${taxId}`, { token: reg });
      const actor = await t.call('GET', `/v1/actors/${list.body.items[0].id}`, { token: reg });
      return actor.body.current;
    };
    expect((await status(demoActors.formalizedMiner.taxId)).formalization.status).toBe('formalized');
    expect((await status(demoActors.inProcessMiner.taxId)).formalization).toMatchObject({
      status: 'in_process',
      step: 3,
    });
    expect((await status(demoActors.unregisteredMiner.taxId)).formalization.status).toBe('none');
    expect((await status(demoActors.trader.taxId)).trader.status).toBe('registered');
    expect((await status(demoActors.exporter.taxId)).trader.status).toBe('registered');
  });

  it('has the Mazuko and Puerto Maldonado checkpoints on the Interoceanic route', async () => {
    const cps = await t.call('GET', '/v1/checkpoints', { token: await t.token('regulator') });
    expect(cps.body.items.map((c: { code: string }) => c.code).sort()).toEqual([
      'PC-MAZUKO',
      'PC-PTO-MALDONADO',
    ]);
  });

  it('every demo row was written with its ledger event', async () => {
    const [row] = rowsOf<{ missing: string }>(
      await t.db.execute(sql`
        SELECT count(*)::text AS missing FROM (
          SELECT id FROM actors UNION ALL SELECT id FROM concessions UNION ALL SELECT id FROM zones
          UNION ALL SELECT id FROM checkpoints) r
        WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.subject_id = r.id)`),
    );
    expect(row?.missing).toBe('0');
  });

  it('each screening rule fires exactly where the scenario says, and nowhere else', async () => {
    const reg = await t.token('regulator');
    const seen = new Set<string>();
    for (const c of cases) {
      const res = await t.call('GET', `/v1/${c.kind}s/${c.id}`, { token: reg });
      expect(res.status).toBe(200);
      const rules = [...new Set(res.body.flags.map((f: { rule: string }) => f.rule))].sort();
      expect({ case: c.story, rules }).toEqual({ case: c.story, rules: [...c.expect].sort() });
      for (const r of rules) seen.add(r as string);
    }
    // Every rule of DESIGN's list shows in the demo except the diversion side of
    // INPUT_OUTPUT_MISMATCH, which needs inputs received months ago (see scenario.ts), and the
    // land rules, which need district limits, a declared corridor and miner categories the demo
    // does not load yet (they are proved in test/screening/rules/).
    const notInDemo = ['ORIGIN_OUTSIDE_MINING_CORRIDOR', 'MINING_METHOD_FORBIDDEN'];
    expect([...seen].sort()).toEqual([...ruleCodes].filter((r) => !notInDemo.includes(r)).sort());
  });

  it('gold from inside the Tambopata reserve is flagged with that reserve, and the clean lots lie outside every zone', async () => {
    const reg = await t.token('regulator');
    const reserve = cases.find((c) => c.story.includes('inside the Tambopata reserve'));
    const lot = await t.call('GET', `/v1/lots/${reserve?.id}`, { token: reg });
    const inZone = lot.body.flags.filter((f: { rule: string }) => f.rule === 'ORIGIN_IN_EXCLUSION_ZONE');
    expect(inZone.map((f: { evidence: { zoneName: string } }) => f.evidence.zoneName)).toEqual([
      'Reserva Nacional Tambopata',
    ]);
    const clean = cases.filter((c) => c.kind === 'lot' && c.expect.length === 0);
    expect(clean.length).toBeGreaterThan(2);
    const inside = rowsOf<{ code: string }>(
      await t.db.execute(sql`
        SELECT l.code FROM lots l JOIN zones z ON ST_Covers(z.geom, l.origin)
        WHERE l.id IN (${sql.join(
          clean.map((c) => sql`${c.id}::uuid`),
          sql`, `,
        )})`),
    );
    expect(inside).toEqual([]);
  });

  it('inherited flags on the parts of a split lot name their source flag', async () => {
    const reg = await t.token('regulator');
    const parts = cases.filter((c) => c.story.startsWith('made from'));
    expect(parts).toHaveLength(2);
    for (const p of parts) {
      const lot = await t.call('GET', `/v1/lots/${p.id}`, { token: reg });
      for (const f of lot.body.flags) expect(f.inheritedFrom).toMatch(/^[0-9a-f-]{36}$/);
      expect(lot.body.riskLevel).toBe('critical');
    }
  });
});
