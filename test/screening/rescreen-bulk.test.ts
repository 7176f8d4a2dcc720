import { type SQL, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { sequence } from '../../src/domain/ledger/store.js';
import { verifyLedger } from '../../src/domain/ledger/verify.js';
import { createZone } from '../../src/domain/reference/zones.js';
import { rulesDependingOn } from '../../src/domain/screening/engine.js';
import { rescreenConcession } from '../../src/domain/screening/rescreen.js';
import type { LotRule } from '../../src/domain/screening/rules/types.js';
import type { Principal } from '../../src/domain/shared/principal.js';
import type { TestContext } from '../helpers/app.js';
import { adminDb } from '../helpers/db.js';
import { type GoldWorld, goldWorld } from '../helpers/fixtures.js';
import { worldPerFile } from '../helpers/world.js';

/**
 * Re-screening in bulk against screening one lot at a time, on a generated world: a few hundred
 * lots written straight into the table (no screening ran on them), then zones and a concession
 * change screen them all at once. Every flag the bulk path raises must be the one the per-write
 * path — the same rule over that lot alone — yields, with the same severity, fingerprint and
 * evidence, and nothing more or less; every flag has its signed `flag.raised` event, and the log
 * verifies.
 */

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(async (t) => {
  const w = await goldWorld(t);
  // 12 × 12 origins over and around the concession (box −70.12, −12.96, −70.08, −12.93), with
  // three extraction dates, so that zones in force from or until a date split them.
  await (await adminDb()).execute(sql`
    INSERT INTO lots (id, code, producer_id, concession_id, origin, extracted_on, gross_weight_g, fineness,
                      fine_weight_g, form, custodian_id, qr_token)
    SELECT orotrace_uuid_v7(), 'GEN-' || i || '-' || j, ${w.miner.id}, ${w.concession.id},
           ST_SetSRID(ST_MakePoint(-70.14 + i * 0.006, -12.975 + j * 0.005), 4326),
           (ARRAY['2026-09-01', '2026-09-20', '2026-10-01']::date[])[1 + (i + j) % 3],
           (100 + i * 37 + j * 11)::numeric(12,3), 870.000, ((100 + i * 37 + j * 11) * 0.87)::numeric(12,3),
           'dore', ${w.miner.id}, 'x'
      FROM generate_series(0, 11) i, generate_series(0, 11) j`);
  return w;
});
beforeEach(async () => {
  ({ t, w } = await world());
});

const admin: Principal = { sub: 'test', role: 'admin' };
const square = (west: number, south: number, east: number, north: number) => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [west, south],
      [east, south],
      [east, north],
      [west, north],
      [west, south],
    ],
  ],
});

interface Candidate {
  rule: string;
  subject_id: string;
  severity: string;
  fingerprint: string;
  evidence: Record<string, unknown>;
}

const key = (c: Candidate) => `${c.rule} ${c.subject_id} ${c.fingerprint}`;
const sorted = (cs: Candidate[]) => [...cs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

/** What each rule yields for each generated lot screened alone, as a registration screens it. */
async function perLot(rules: LotRule[]): Promise<Candidate[]> {
  const lots = rowsOf<{ id: string }>(await t.db.execute(sql`SELECT id FROM lots WHERE code LIKE 'GEN-%'`));
  const out: Candidate[] = [];
  for (const rule of rules) {
    for (const { id } of lots) {
      const one: SQL = sql`SELECT ${id}::uuid AS id`;
      for (const c of rowsOf<Omit<Candidate, 'rule'>>(await t.db.execute(rule.screen(one))))
        out.push({ ...c, rule: rule.code });
    }
  }
  return sorted(out);
}

/** The flags the re-screenings raised on the generated lots, evidence as the rule gave it. */
async function raised(rules: LotRule[]): Promise<Candidate[]> {
  const rows = rowsOf<Candidate>(
    await t.db.execute(sql`
      SELECT f.rule, f.subject_id, f.severity, f.fingerprint, f.evidence - 'thresholdsVersion' AS evidence
        FROM flags f JOIN lots l ON l.id = f.subject_id
       WHERE l.code LIKE 'GEN-%' AND f.rule IN (${sql.join(
         rules.map((r) => sql`${r.code}`),
         sql`, `,
       )})`),
  );
  return sorted(rows);
}

/** Every flag raised has one `flag.raised` event naming it; the whole log then verifies. */
async function expectEventsAndLog(): Promise<void> {
  const [missing] = rowsOf<{ n: number }>(
    await t.db.execute(sql`
      SELECT count(*)::int AS n FROM flags f
       WHERE (SELECT count(*) FROM events e WHERE e.type = 'flag.raised' AND e.subject_id = f.id) <> 1`),
  );
  expect(missing?.n).toBe(0);
  await sequence(t.db, t.ledgerKey);
  const report = await verifyLedger(t.db, [t.ledgerKey.publicJwk]);
  expect(report).toMatchObject({ ok: true, unsequencedEvents: 0 });
}

describe('re-screening in bulk raises what screening each lot alone would', () => {
  it('zones: overlapping, of several kinds and validity periods, one covering most lots, one a few', async () => {
    const zones = [
      {
        name: 'Reserva',
        kind: 'protected_area',
        legalBasis: 'D.S. 048-2000-AG',
        validFrom: '2000-01-01',
        geometry: square(-70.15, -12.99, -70.09, -12.9),
      },
      {
        name: 'Amortiguamiento',
        kind: 'buffer_zone',
        legalBasis: 'D.U. 012-2010',
        validFrom: '2026-09-15',
        geometry: square(-70.11, -12.97, -70.05, -12.93),
      },
      {
        name: 'Comunidad',
        kind: 'indigenous_territory',
        legalBasis: 'título 1234',
        validFrom: '2010-01-01',
        validTo: '2026-09-25',
        geometry: square(-70.13, -12.95, -70.07, -12.91),
      },
      {
        name: 'Parcela',
        kind: 'mining_exclusion',
        legalBasis: 'R.M. 1-2020',
        validFrom: '2000-01-01',
        geometry: square(-70.101, -12.946, -70.094, -12.941),
      },
    ] as const;
    const ids: string[] = [];
    for (const z of zones) ids.push((await createZone(t.db, admin, z)).zone.id);
    const rules = rulesDependingOn('zones').lot;
    const bulk = await raised(rules);
    // The reserve's flags are written in one re-screening, their events as columns (over 100).
    expect(bulk.filter((c) => c.fingerprint === ids[0]).length).toBeGreaterThan(100);
    expect(new Set(bulk.map((c) => c.fingerprint)).size).toBe(zones.length);
    expect(bulk).toEqual(await perLot(rules));
    // The zone's depth as the rule measured it before its edge was taken once per zone.
    const [differ] = rowsOf<{ n: number }>(
      await t.db.execute(sql`
        SELECT count(*)::int AS n FROM flags f JOIN lots l ON l.id = f.subject_id JOIN zones z ON z.id::text = f.fingerprint
         WHERE f.rule = 'ORIGIN_IN_EXCLUSION_ZONE'
           AND (f.evidence->>'depthM')::numeric
               <> round(ST_Distance(ST_Boundary(z.geom)::geography, l.origin::geography)::numeric, 1)`),
    );
    expect(differ?.n).toBe(0);
    await expectEventsAndLog();
  }, 300_000);

  it('a concession changed: every rule that reads concessions, over all its lots', async () => {
    const result = await t.db.transaction((tx) => rescreenConcession(tx, admin, w.concession.id));
    expect(result.lotsScreened).toBe(144);
    const rules = rulesDependingOn('concessions').lot;
    const bulk = await raised(rules);
    expect(bulk.length).toBeGreaterThan(50);
    expect(bulk).toEqual(await perLot(rules));
    await expectEventsAndLog();
  }, 300_000);
});
