/**
 * The flag queue at scale (GET /v1/flags): sorted by severity or age, paged with a cursor that
 * neither repeats nor skips under ties, exported as a spreadsheet in words; and what a review
 * would touch, asked before it is made (POST /v1/flags/:id/review?dryRun=true).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { flags } from '../../src/db/schema/index.js';
import { newId } from '../../src/domain/shared/ids.js';
import type { Severity } from '../../src/domain/shared/vocabulary.js';
import type { TestContext } from '../helpers/app.js';
import { tableCounts } from '../helpers/counts.js';
import { type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';
import { insertFlag } from '../helpers/flags.js';
import { worldPerFile } from '../helpers/world.js';

let t: TestContext;
let w: GoldWorld;
const world = worldPerFile(goldWorld);
beforeEach(async () => {
  ({ t, w } = await world());
});

const rank: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1 };

interface Seeded {
  id: string;
  severity: Severity;
  createdAt: Date;
}

/**
 * Flags written in one statement at three instants, several sharing an instant and a severity:
 * the ties a page boundary must not trip on.
 */
async function seedQueue(subjectId: string): Promise<Seeded[]> {
  const instants = [
    new Date('2026-03-01T10:00:00Z'),
    new Date('2026-02-01T10:00:00Z'),
    new Date('2026-04-01T10:00:00Z'),
  ];
  const sev: Severity[] = ['low', 'critical', 'high', 'medium'];
  const rows = Array.from({ length: 17 }, (_, i) => {
    const id = newId();
    return {
      id,
      fingerprint: id,
      subjectType: 'lot' as const,
      subjectId,
      rule: 'ORIGIN_IN_EXCLUSION_ZONE' as const,
      severity: sev[i % sev.length] as Severity,
      evidence: { n: i },
      createdAt: instants[i % instants.length] as Date,
    };
  });
  await t.db.insert(flags).values(rows);
  return rows.map(({ id, severity, createdAt }) => ({ id, severity, createdAt }));
}

const byId = (a: Seeded, b: Seeded) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byAge = (a: Seeded, b: Seeded) => a.createdAt.getTime() - b.createdAt.getTime() || byId(a, b);

async function walk(query: string, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const q: string = `/v1/flags?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    const res = await t.call('GET', q, { token: w.regulatorToken });
    expect(res.status, res.text).toBe(200);
    ids.push(...res.body.items.map((f: { id: string }) => f.id));
    cursor = res.body.nextCursor;
    pages++;
  } while (cursor && pages < 50);
  return { ids, pages };
}

describe('the flag queue, sorted and paged', () => {
  it('sort=severity: most severe first, then oldest, then by id; pages of 4 neither repeat nor skip under ties', async () => {
    const lot = await registerLot(t, w);
    const seeded = await seedQueue(lot.id);
    const expected = [...seeded]
      .sort((a, b) => rank[b.severity] - rank[a.severity] || byAge(a, b))
      .map((f) => f.id);
    const { ids, pages } = await walk(`sort=severity&subjectId=${lot.id}`, 4);
    expect(pages).toBe(5);
    expect(ids).toEqual(expected);
  });

  it('sort=age: oldest first; sort=recent: newest first; both page through ties', async () => {
    const lot = await registerLot(t, w);
    const seeded = await seedQueue(lot.id);
    const oldest = [...seeded].sort(byAge).map((f) => f.id);
    expect((await walk(`sort=age&subjectId=${lot.id}`, 3)).ids).toEqual(oldest);
    expect((await walk(`sort=recent&subjectId=${lot.id}`, 5)).ids).toEqual([...oldest].reverse());
    // The default order is unchanged: by id, the order flags were raised.
    expect((await walk(`subjectId=${lot.id}`, 6)).ids).toEqual([...seeded].sort(byId).map((f) => f.id));
  });

  it('filters still apply under a sort, and each flag names its subject by its printed code', async () => {
    const lot = await registerLot(t, w);
    await seedQueue(lot.id);
    const res = await t.call('GET', `/v1/flags?sort=severity&severity=critical&subjectId=${lot.id}`, {
      token: w.admin,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    for (const f of res.body.items) expect(f).toMatchObject({ severity: 'critical', subjectCode: lot.code });
  });

  it.each([
    ['sort=SEVERITY', 'query.sort'],
    ['sort=severity%00', 'query.sort'],
    ["sort=severity'%20OR%201=1--", 'query.sort'],
    ['sort=severity&sort=age', 'query.sort'],
    ['status=open&status=dismissed', 'query.status'],
    ['rule=..%2F..%2Fetc', 'query.rule'],
    ['subjectId=not-a-uuid', 'query.subjectId'],
    ['severity=%25', 'query.severity'],
    ['limit=-1', 'query.limit'],
    ['limit=100000', 'query.limit'],
    ['limit=1e2x', 'query.limit'],
    ['format=xlsx', 'query.format'],
    ['lang=de', 'query.lang'],
  ])('a hostile %s is 400 naming the field, never a 500', async (query, field) => {
    const res = await t.call('GET', `/v1/flags?${query}`, { token: w.regulatorToken });
    expect(res.status, res.text).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('a bad sort is 400 naming the field; the queue is for regulators and admins only', async () => {
    const bad = await t.call('GET', '/v1/flags?sort=loudest', { token: w.regulatorToken });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'query.sort' })]);
    expect((await t.call('GET', '/v1/flags?format=csv', { token: w.minerToken })).status).toBe(403);
    expect((await t.call('GET', '/v1/flags?sort=severity', { token: w.mazukoToken })).status).toBe(403);
    expect((await t.call('GET', '/v1/flags?format=csv')).status).toBe(401);
  });
});

describe('the flag queue across pages: subjects counted by the server, cursors it issued', () => {
  it('each flag says how many flags its subject has under the same filters on every page, not on this one', async () => {
    const a = await registerLot(t, w);
    const b = await registerLot(t, w);
    const seeded = await seedQueue(a.id);
    for (const severity of ['critical', 'low'] as const)
      await insertFlag(t.db, { subjectId: b.id, severity });
    const res = await t.call('GET', '/v1/flags?sort=severity&limit=4', { token: w.regulatorToken });
    expect(res.status, res.text).toBe(200);
    expect(res.body.items).toHaveLength(4);
    for (const f of res.body.items) {
      expect(f.subjectFlagCount).toBe(f.subjectId === a.id ? seeded.length : 2);
    }
    const critical = seeded.filter((f) => f.severity === 'critical').length;
    const filtered = await t.call('GET', '/v1/flags?severity=critical&limit=2', { token: w.regulatorToken });
    for (const f of filtered.body.items) {
      expect(f.subjectFlagCount).toBe(f.subjectId === a.id ? critical : 1);
    }
  });

  it('a cursor that names no flag, or is not a cursor at all, is 400 naming it; a cursor of another filter pages on that one', async () => {
    const lot = await registerLot(t, w);
    await seedQueue(lot.id);
    const forged = Buffer.from('01900000-0000-7000-8000-000000000000', 'utf8').toString('base64url');
    for (const cursor of [forged, 'not-a-cursor', '%00', "'||(SELECT 1)--", 'x'.repeat(200)]) {
      const res = await t.call('GET', `/v1/flags?sort=severity&cursor=${encodeURIComponent(cursor)}`, {
        token: w.regulatorToken,
      });
      expect(res.status, cursor).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
    }
    const first = await t.call('GET', '/v1/flags?sort=severity&limit=3', { token: w.regulatorToken });
    const replayed = await t.call(
      'GET',
      `/v1/flags?sort=age&severity=low&limit=50&cursor=${first.body.nextCursor}`,
      { token: w.regulatorToken },
    );
    expect(replayed.status, replayed.text).toBe(200);
    for (const f of replayed.body.items) expect(f.severity).toBe('low');
  });
});

describe('who may read the queue, the balances and the search', () => {
  it('exporter and checkpoint tokens get 403 on every flags and balances endpoint and on the lot search, and change nothing', async () => {
    const lot = await registerLot(t, w);
    const flag = await insertFlag(t.db, { subjectId: lot.id });
    const before = await tableCounts(t.db);
    const reads = [
      '/v1/flags',
      '/v1/flags?sort=severity&format=csv',
      '/v1/flags?format=geojson',
      `/v1/flags/${flag.id}`,
      `/v1/concessions/${lot.concessionId}/balance`,
      `/v1/actors/${lot.producerId}/balance`,
    ];
    for (const token of [w.minerToken, w.exporterToken, w.mazukoToken]) {
      for (const path of reads) expect((await t.call('GET', path, { token })).status, path).toBe(403);
      const review = await t.call('POST', `/v1/flags/${flag.id}/review`, {
        token,
        body: { decision: 'dismiss', reason: 'not mine to decide' },
      });
      expect(review.status).toBe(403);
    }
    // The search by fragment: checkpoint staff may only name a whole code; an exporter sees its own lots only.
    expect((await t.call('GET', '/v1/lots?q=AU-20', { token: w.mazukoToken })).status).toBe(403);
    const exporterSearch = await t.call('GET', `/v1/lots?q=${lot.code}`, { token: w.exporterToken });
    expect(exporterSearch.status).toBe(200);
    expect(exporterSearch.body.items).toEqual([]);
    expect(await tableCounts(t.db)).toEqual(before);
  });
});

describe('two regulators on one flag', () => {
  it('a review sent with the status its reviewer saw: of two racing, exactly one wins, the other is 409 and the ledger has one review', async () => {
    const lot = await registerLot(t, w);
    const flag = await insertFlag(t.db, { subjectId: lot.id, severity: 'critical' });
    const before = await tableCounts(t.db);
    const [x, y] = await Promise.all(
      (['acknowledge', 'escalate'] as const).map((decision) =>
        t.call('POST', `/v1/flags/${flag.id}/review`, {
          token: w.regulatorToken,
          body: { decision, reason: 'checked the evidence', expectedStatus: 'open' },
        }),
      ),
    );
    expect([x?.status, y?.status].sort()).toEqual([200, 409]);
    const lost = x?.status === 409 ? x : y;
    expect(lost?.body.type).toMatch(/conflict/);
    expect(lost?.body.detail).toMatch(/reviewed meanwhile/);
    const after = await tableCounts(t.db);
    expect(after.events).toBe((before.events ?? 0) + 1);
  });

  it('a review sent with the subjects its preview listed is refused, and writes nothing, when lots were made from the flagged one since', async () => {
    const lot = await registerLot(t, w);
    const flag = await insertFlag(t.db, { subjectId: lot.id, severity: 'critical' });
    const body = { decision: 'escalate', reason: 'refer to UIF-Perú' };
    const preview = await t.call('POST', `/v1/flags/${flag.id}/review?dryRun=true`, {
      token: w.regulatorToken,
      body,
    });
    expect(preview.status, preview.text).toBe(200);
    const expectedSubjects = preview.body.flags.map((f: { subjectId: string }) => f.subjectId);
    expect(expectedSubjects).toEqual([lot.id]);
    const split = await t.call('POST', `/v1/lots/${lot.id}/split`, {
      token: w.minerToken,
      body: { parts: [{ grossWeightG: '600.000' }, { grossWeightG: '400.000' }] },
    });
    expect(split.status, split.text).toBe(201);
    const before = await tableCounts(t.db);
    const stale = await t.call('POST', `/v1/flags/${flag.id}/review`, {
      token: w.regulatorToken,
      body: { ...body, expectedSubjects },
    });
    expect(stale.status, stale.text).toBe(409);
    expect(stale.body.subjects).toHaveLength(3);
    expect(await tableCounts(t.db)).toEqual(before);
    const again = await t.call('POST', `/v1/flags/${flag.id}/review?dryRun=true`, {
      token: w.regulatorToken,
      body,
    });
    const fresh = await t.call('POST', `/v1/flags/${flag.id}/review`, {
      token: w.regulatorToken,
      body: { ...body, expectedSubjects: again.body.flags.map((f: { subjectId: string }) => f.subjectId) },
    });
    expect(fresh.status, fresh.text).toBe(200);
  });
});

describe('the flag queue as CSV', () => {
  const csvOf = async (query: string, headers: Record<string, string> = {}) => {
    const res = await t.app.request(`/v1/flags${query}`, {
      headers: { authorization: `Bearer ${w.regulatorToken}`, ...headers },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="(alertas|flags)-/);
    return new Uint8Array(await res.arrayBuffer());
  };
  const text = (bytes: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);

  it('starts with a UTF-8 byte-order mark, has Spanish headers and worded values, CRLF lines, in the order asked', async () => {
    const lot = await registerLot(t, w);
    const low = await insertFlag(t.db, { subjectId: lot.id, severity: 'low' });
    const critical = await insertFlag(t.db, { subjectId: lot.id, severity: 'critical', rule: 'STRUCTURING' });
    const bytes = await csvOf(`?format=csv&sort=severity&subjectId=${lot.id}`);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = text(bytes).slice(1).split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe(
      'Gravedad,Regla,Tipo de sujeto,Código del lote o movimiento,Estado,Levantada (UTC),Heredada de la alerta,Revisada por,Revisada (UTC),Motivo de la revisión,Código de la regla,Evidencia (JSON),Id de la alerta,Id del lote o movimiento,Lugar,Latitud,Longitud',
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(
      new RegExp(
        `^crítico,Fraccionamiento: muchos lotes justo debajo del umbral de reporte,lote de oro,${lot.code},abierta,\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,,,,,STRUCTURING,.*,${critical.id},${lot.id},origen del lote,-12.945,-70.1$`,
      ),
    );
    expect(lines[2]).toMatch(
      new RegExp(
        `^bajo,"?Oro extraído dentro de una zona de exclusión .*,${low.id},${lot.id},origen del lote,-12.945,-70.1$`,
      ),
    );
  });

  it('lang=en gives English words; Accept: text/csv is the same as format=csv', async () => {
    const lot = await registerLot(t, w);
    await insertFlag(t.db, { subjectId: lot.id, severity: 'medium' });
    const en = text(await csvOf(`?format=csv&lang=en&subjectId=${lot.id}`))
      .slice(1)
      .split('\r\n');
    expect(en[0]).toMatch(/^Severity,Rule,Subject type,Lot or movement code,Status,/);
    expect(en[1]).toMatch(/^medium,"?Gold mined inside an exclusion zone/);
    const accepted = text(await csvOf(`?subjectId=${lot.id}`, { accept: 'text/csv' }));
    expect(accepted.slice(1).split('\r\n')[0]).toMatch(/^Gravedad,Regla,/);
  });

  it('quotes commas, quotes and line breaks (RFC 4180) and disarms cells starting with = + - @', async () => {
    const lot = await registerLot(t, w);
    const reasons = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', 'dijo "no", y\r\nsiguió'];
    for (const reason of reasons) {
      const id = newId();
      await t.db.insert(flags).values({
        id,
        fingerprint: id,
        subjectType: 'lot',
        subjectId: lot.id,
        rule: 'STRUCTURING',
        severity: 'high',
        status: 'acknowledged',
        evidence: {},
        reviewedBy: 'regulator:local',
        reviewReason: reason,
        reviewedAt: new Date(),
      });
    }
    const body = text(await csvOf(`?format=csv&sort=age&subjectId=${lot.id}`));
    expect(body).toContain(`,"'=HYPERLINK(""http://x"",""y"")",`);
    expect(body).toContain(",'+1+1,");
    expect(body).toContain(",'-2+3,");
    expect(body).toContain(",'@SUM(A1),");
    expect(body).toContain(',"dijo ""no"", y\r\nsiguió",');
    // No cell of the file starts with a formula character once parsed.
    for (const line of body.slice(1).split('\r\n').slice(1)) expect(line).not.toMatch(/(^|,)[=+@]/);
  });
});

describe('what a review will touch, asked first (?dryRun=true)', () => {
  /** A flagged lot split in two (copies on both parts), acknowledged, and one part split again. */
  async function family() {
    const lot = await registerLot(t, w);
    const root = await insertFlag(t.db, { subjectId: lot.id, severity: 'critical' });
    const split = await t.call('POST', `/v1/lots/${lot.id}/split`, {
      token: w.minerToken,
      body: { parts: [{ grossWeightG: '600.000' }, { grossWeightG: '400.000' }] },
    });
    expect(split.status, split.text).toBe(201);
    const [a, b] = split.body.children as { id: string; code: string; flags: { id: string }[] }[];
    if (!a || !b) throw new Error('split gave no parts');
    return { lot, root, a, b };
  }
  const review = (id: string, body: unknown, query = '', token = w.regulatorToken) =>
    t.call('POST', `/v1/flags/${id}/review${query}`, { token, body });

  it('lists the flag and its inherited copies with their lots’ codes, and changes nothing', async () => {
    const { lot, root, a, b } = await family();
    const before = await tableCounts(t.db);
    const res = await review(root.id, { decision: 'escalate', reason: 'refer to UIF-Perú' }, '?dryRun=true');
    expect(res.status, res.text).toBe(200);
    expect(res.body.dryRun).toBe(true);
    expect(res.body.decision).toBe('escalate');
    const touched = res.body.flags.map((f: Record<string, unknown>) => [
      f.change,
      f.subjectCode,
      f.statusBefore,
      f.statusAfter,
    ]);
    expect(touched).toEqual(
      expect.arrayContaining([
        ['reviewed', lot.code, 'open', 'escalated'],
        ['copy', a.code, 'open', 'escalated'],
        ['copy', b.code, 'open', 'escalated'],
      ]),
    );
    expect(touched).toHaveLength(3);
    for (const f of res.body.flags.filter((x: { change: string }) => x.change === 'copy')) {
      expect(f.inheritedFrom).toBe(root.id);
    }
    expect(await tableCounts(t.db)).toEqual(before);
    const flag = await t.call('GET', `/v1/flags/${root.id}`, { token: w.regulatorToken });
    expect(flag.body).toMatchObject({ status: 'open', reviewedBy: null });
    const copy = await t.call('GET', `/v1/lots/${a.id}`, { token: w.regulatorToken });
    expect(copy.body.flags).toEqual([expect.objectContaining({ status: 'open' })]);
  });

  it('an escalation after an acknowledgement also lists the copies it would raise on lots made meanwhile', async () => {
    const { root, a } = await family();
    expect((await review(root.id, { decision: 'acknowledge', reason: 'asking SUNAT' })).status).toBe(200);
    const again = await t.call('POST', `/v1/lots/${a.id}/split`, {
      token: w.minerToken,
      body: { parts: [{ grossWeightG: '300.000' }, { grossWeightG: '300.000' }] },
    });
    expect(again.status, again.text).toBe(201);
    const grandchildren = (again.body.children as { code: string }[]).map((c) => c.code).sort();
    const before = await tableCounts(t.db);
    const res = await review(root.id, { decision: 'escalate', reason: 'refer to UIF-Perú' }, '?dryRun=true');
    expect(res.status, res.text).toBe(200);
    const fresh = res.body.flags.filter((f: { change: string }) => f.change === 'new_copy');
    expect(fresh.map((f: { subjectCode: string }) => f.subjectCode).sort()).toEqual(grandchildren);
    for (const f of fresh) expect(f).toMatchObject({ statusBefore: null, statusAfter: 'escalated' });
    expect(res.body.flags.filter((f: { change: string }) => f.change === 'copy')).toHaveLength(2);
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('is refused as the review would be: an inherited copy 409, a status it has 409, a bad body 400, other roles 403', async () => {
    const { root, a } = await family();
    const copyId = a.flags[0]?.id as string;
    const body = { decision: 'dismiss', reason: 'looks fine' };
    const copy = await review(copyId, body, '?dryRun=true');
    expect(copy.status).toBe(409);
    expect(copy.body.inheritedFrom).toBe(root.id);
    expect((await review(root.id, { decision: 'dismiss' }, '?dryRun=true')).status).toBe(400);
    expect((await review(root.id, body, '?dryRun=maybe')).status).toBe(400);
    for (const token of [w.minerToken, w.mazukoToken, w.admin]) {
      expect((await review(root.id, body, '?dryRun=true', token)).status).toBe(403);
    }
    expect((await review(root.id, body)).status).toBe(200);
    expect((await review(root.id, body, '?dryRun=true')).status).toBe(409);
  });
});
