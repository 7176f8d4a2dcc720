import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
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

const review = (id: string, body: unknown, token = w.regulatorToken) =>
  t.call('POST', `/v1/flags/${id}/review`, { token, body });

const reviewEvents = async (flagId: string) =>
  rowsOf<{ actor_sub: string; actor_role: string; payload: Record<string, unknown> }>(
    await t.db.execute(
      sql`SELECT actor_sub, actor_role, payload FROM events
           WHERE type = 'flag.reviewed' AND subject_type = 'flag' AND subject_id = ${flagId}
           ORDER BY seq`,
    ),
  );

describe('listing flags', () => {
  it('filters by status, rule, subject type, subject id and severity', async () => {
    const lot = await registerLot(t, w);
    const other = await registerLot(t, w);
    const movementId = randomUUID();
    const a = await insertFlag(t.db, { subjectId: lot.id, severity: 'high' });
    const b = await insertFlag(t.db, {
      subjectId: lot.id,
      rule: 'PRODUCTION_OVER_CAPACITY',
      severity: 'medium',
    });
    const c = await insertFlag(t.db, { subjectId: other.id, status: 'dismissed', severity: 'low' });
    const d = await insertFlag(t.db, {
      subjectType: 'movement',
      subjectId: movementId,
      rule: 'OVER_QUOTA',
      severity: 'critical',
    });
    const ids = async (query: string) => {
      const res = await t.call('GET', `/v1/flags${query}`, { token: w.regulatorToken });
      expect(res.status, res.text).toBe(200);
      return res.body.items.map((f: { id: string }) => f.id);
    };
    expect(await ids('')).toEqual([a.id, b.id, c.id, d.id]);
    expect(await ids('?status=open')).toEqual([a.id, b.id, d.id]);
    expect(await ids('?status=dismissed')).toEqual([c.id]);
    expect(await ids('?rule=PRODUCTION_OVER_CAPACITY')).toEqual([b.id]);
    expect(await ids('?subjectType=movement')).toEqual([d.id]);
    expect(await ids(`?subjectType=lot&subjectId=${lot.id}`)).toEqual([a.id, b.id]);
    expect(await ids('?severity=critical')).toEqual([d.id]);
    expect(await ids('?status=open&severity=low')).toEqual([]);
  });

  it('answers every field of a flag, to regulators and admins, and by id', async () => {
    const lot = await registerLot(t, w);
    const f = await insertFlag(t.db, { subjectId: lot.id, evidence: { zone: 'Tambopata', areaHa: 12.5 } });
    const expected = {
      id: f.id,
      rule: 'ORIGIN_IN_EXCLUSION_ZONE',
      severity: 'high',
      subjectType: 'lot',
      subjectId: lot.id,
      evidence: { zone: 'Tambopata', areaHa: 12.5 },
      status: 'open',
      inheritedFrom: null,
      fingerprint: f.id,
      reviewedBy: null,
      reviewReason: null,
      reviewedAt: null,
      createdAt: f.createdAt.toISOString(),
    };
    const list = await t.call('GET', '/v1/flags', { token: w.admin });
    expect(list.status).toBe(200);
    // The queue names each flag's subject by its printed code, too.
    expect(list.body).toEqual({
      items: [{ ...expected, subjectCode: lot.code, subjectFlagCount: 1 }],
      nextCursor: null,
    });
    const one = await t.call('GET', `/v1/flags/${f.id}`, { token: w.regulatorToken });
    expect(one.status).toBe(200);
    expect(one.body).toEqual(expected);
  });

  it('pages in the order flags were raised, with a cursor, and refuses a cursor it did not issue', async () => {
    const lot = await registerLot(t, w);
    const raised = [];
    for (let i = 0; i < 5; i++) raised.push((await insertFlag(t.db, { subjectId: lot.id })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const res = await t.call('GET', `/v1/flags${q}`, { token: w.regulatorToken });
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((f: { id: string }) => f.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(raised);
    const bad = await t.call('GET', '/v1/flags?cursor=nonsense', { token: w.regulatorToken });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
  });

  it('is not for exporters or checkpoint staff; an unknown flag is 404; a bad filter is 400', async () => {
    const lot = await registerLot(t, w);
    const f = await insertFlag(t.db, { subjectId: lot.id });
    expect((await t.call('GET', '/v1/flags', { token: w.minerToken })).status).toBe(403);
    expect((await t.call('GET', `/v1/flags/${f.id}`, { token: w.mazukoToken })).status).toBe(403);
    expect((await t.call('GET', '/v1/flags')).status).toBe(401);
    expect((await t.call('GET', `/v1/flags/${randomUUID()}`, { token: w.regulatorToken })).status).toBe(404);
    const bad = await t.call('GET', '/v1/flags?severity=extreme', { token: w.regulatorToken });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'query.severity' })]);
  });
});

describe('reviewing a flag', () => {
  it('a regulator dismisses a flag: status, reviewer, reason and time are set, and the ledger records it', async () => {
    const lot = await registerLot(t, w);
    const f = await insertFlag(t.db, { subjectId: lot.id });
    const before = Date.now();
    const res = await review(f.id, { decision: 'dismiss', reason: 'origin verified on site by OEFA' });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      id: f.id,
      status: 'dismissed',
      reviewedBy: 'regulator:local',
      reviewReason: 'origin verified on site by OEFA',
    });
    expect(new Date(res.body.reviewedAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect((await t.call('GET', `/v1/flags/${f.id}`, { token: w.admin })).body).toEqual(res.body);
    expect(await reviewEvents(f.id)).toEqual([
      {
        actor_sub: 'regulator:local',
        actor_role: 'regulator',
        payload: {
          decision: 'dismiss',
          inheritedCopies: [],
          reason: 'origin verified on site by OEFA',
          previousStatus: 'open',
        },
      },
    ]);
  });

  it('a flag may be reviewed again, each review its own event; reviewing to the status it has is 409', async () => {
    const lot = await registerLot(t, w);
    const f = await insertFlag(t.db, { subjectId: lot.id });
    expect((await review(f.id, { decision: 'acknowledge', reason: 'seen, asking SUNAT' })).status).toBe(200);
    const again = await review(f.id, { decision: 'acknowledge', reason: 'seen twice' });
    expect(again.status).toBe(409);
    expect(again.body.type).toMatch(/conflict/);
    const escalated = await review(f.id, { decision: 'escalate', reason: 'refer to UIF-Perú' });
    expect(escalated.status).toBe(200);
    expect(escalated.body).toMatchObject({ status: 'escalated', reviewReason: 'refer to UIF-Perú' });
    expect((await reviewEvents(f.id)).map((e) => e.payload)).toEqual([
      { decision: 'acknowledge', inheritedCopies: [], reason: 'seen, asking SUNAT', previousStatus: 'open' },
      {
        decision: 'escalate',
        inheritedCopies: [],
        reason: 'refer to UIF-Perú',
        previousStatus: 'acknowledged',
      },
    ]);
  });

  it('of five parallel dismissals of one flag exactly one succeeds, the others 409 (the row is locked)', async () => {
    // On PostgreSQL these run in parallel over the pool; without FOR UPDATE each would read
    // `open` and every one would write its own review and event.
    const lot = await registerLot(t, w);
    const f = await insertFlag(t.db, { subjectId: lot.id });
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => review(f.id, { decision: 'dismiss', reason: `reviewer ${i}` })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    expect(await reviewEvents(f.id)).toHaveLength(1);
  });

  it('only regulators review: exporters, checkpoint staff and admins (who keep reference data) get 403', async () => {
    const lot = await registerLot(t, w);
    const f = await insertFlag(t.db, { subjectId: lot.id });
    const body = { decision: 'dismiss', reason: 'not mine to judge' };
    for (const token of [w.minerToken, w.mazukoToken, w.admin]) {
      expect((await review(f.id, body, token)).status).toBe(403);
    }
    expect((await t.call('POST', `/v1/flags/${f.id}/review`, { body })).status).toBe(401);
    const row = (await t.call('GET', `/v1/flags/${f.id}`, { token: w.admin })).body;
    expect(row).toMatchObject({ status: 'open', reviewedBy: null });
    expect(await reviewEvents(f.id)).toEqual([]);
  });

  it('a bad decision, a missing or too short reason is 400 naming the field, and nothing changes', async () => {
    const lot = await registerLot(t, w);
    const f = await insertFlag(t.db, { subjectId: lot.id });
    const cases: [unknown, string][] = [
      [{ decision: 'approve', reason: 'looks fine' }, 'decision'],
      [{ decision: 'dismiss' }, 'reason'],
      [{ decision: 'dismiss', reason: ' x ' }, 'reason'],
      [{ decision: 'dismiss', reason: 'x'.repeat(2001) }, 'reason'],
    ];
    for (const [body, field] of cases) {
      const res = await review(f.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field })]);
    }
    expect((await t.call('GET', `/v1/flags/${f.id}`, { token: w.admin })).body).toMatchObject({
      status: 'open',
      reviewedBy: null,
      reviewReason: null,
      reviewedAt: null,
    });
    expect(await reviewEvents(f.id)).toEqual([]);
  });

  it('an unknown flag is 404', async () => {
    const res = await review(randomUUID(), { decision: 'dismiss', reason: 'no such flag' });
    expect(res.status).toBe(404);
  });
});

describe('what a review does to the risk of a lot', () => {
  const scanAtMazuko = (token: string) =>
    t.call('POST', '/v1/scans', {
      token: w.mazukoToken,
      body: {
        token,
        checkpointId: w.mazuko.id,
        occurredAt: new Date().toISOString(),
        clientId: randomUUID(),
      },
    });

  it('dismissing the only open high flag of a lot lowers its risk to none and lets it pass Mazuko', async () => {
    const lot = await registerLot(t, w);
    const f = await insertFlag(t.db, { subjectId: lot.id, severity: 'high' });
    const before = await t.call('GET', `/v1/lots/${lot.id}`, { token: w.regulatorToken });
    expect(before.body.riskLevel).toBe('high');
    const held = await scanAtMazuko(lot.qrUrl);
    expect(held.status).toBe(201);
    expect(held.body.verdict).toBe('hold');

    expect(
      (await review(f.id, { decision: 'dismiss', reason: 'false positive: outside the reserve' })).status,
    ).toBe(200);

    const after = await t.call('GET', `/v1/lots/${lot.id}`, { token: w.regulatorToken });
    expect(after.body.riskLevel).toBe('none');
    expect(after.body.flags).toEqual([expect.objectContaining({ id: f.id, status: 'dismissed' })]);
    const passed = await scanAtMazuko(lot.qrUrl);
    expect(passed.status).toBe(201);
    expect(passed.body.verdict).toBe('pass');
  });

  it('an escalated high flag keeps the lot held at checkpoints; acknowledging it releases the lot', async () => {
    const lot = await registerLot(t, w);
    const f = await insertFlag(t.db, { subjectId: lot.id, severity: 'high' });
    expect((await review(f.id, { decision: 'escalate', reason: 'refer to UIF-Perú' })).status).toBe(200);
    const held = await scanAtMazuko(lot.qrUrl);
    expect(held.body.verdict).toBe('hold');
    expect(held.body.reasons).toEqual([`escalated high flag ${f.rule}`]);
    expect((await review(f.id, { decision: 'acknowledge', reason: 'cleared by UIF-Perú' })).status).toBe(200);
    expect((await scanAtMazuko(lot.qrUrl)).body.verdict).toBe('pass');
  });

  it('risk counts unresolved flags: an escalated flag keeps the risk, an acknowledged one leaves the next to set it', async () => {
    const lot = await registerLot(t, w);
    const critical = await insertFlag(t.db, { subjectId: lot.id, severity: 'critical' });
    await insertFlag(t.db, { subjectId: lot.id, rule: 'STRUCTURING', severity: 'medium' });
    const riskLevel = async () =>
      (await t.call('GET', `/v1/lots/${lot.id}`, { token: w.regulatorToken })).body.riskLevel;
    expect(await riskLevel()).toBe('critical');
    expect(
      (await review(critical.id, { decision: 'escalate', reason: 'refer to the prosecutor' })).status,
    ).toBe(200);
    expect(await riskLevel()).toBe('critical');
    expect(
      (await review(critical.id, { decision: 'acknowledge', reason: 'case closed by UIF' })).status,
    ).toBe(200);
    expect(await riskLevel()).toBe('medium');
  });
});
