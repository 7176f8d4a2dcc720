import { sql } from 'drizzle-orm';
import { compactVerify, importJWK } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { jsonColumn } from '../../src/db/sql.js';
import { eventLeafBytes } from '../../src/domain/ledger/canonical.js';
import type { LedgerEvent } from '../../src/domain/ledger/schemas.js';
import { leafEventColumns, sequence } from '../../src/domain/ledger/store.js';
import { verifyLedger } from '../../src/domain/ledger/verify.js';
import { adminDb } from '../helpers/db.js';
import { fillerEvents } from '../helpers/events.js';
import { box, goldWorld, registerLot } from '../helpers/fixtures.js';
import { worldPerFile } from '../helpers/world.js';

/**
 * The insider who holds the database: what each of their moves now meets. The application's role
 * is refused the destructive statements outright; what a superuser forces past the triggers is
 * refused by the sequencer (an event it did not see the API sign) or found by verification.
 */

const world = worldPerFile(async (t) => {
  const w = await goldWorld(t);
  const lot = await registerLot(t, w);
  await sequence(t.db, t.ledgerKey);
  return { ...w, lot, regulatorToken: await t.token('regulator') };
});
let ctx: Awaited<ReturnType<typeof world>>;
beforeEach(async () => {
  ctx = await world();
});
const keys = () => [ctx.t.ledgerKey.publicJwk];

/** The SQLSTATE a statement fails with, run alone in a transaction as `role` (or the connection's own). */
async function refusal(statement: string, role?: string): Promise<string | undefined> {
  try {
    await ctx.t.db.transaction(async (tx) => {
      if (role) await tx.execute(sql.raw(`SET LOCAL ROLE ${role}`));
      await tx.execute(sql.raw(statement));
    });
    return undefined;
  } catch (err) {
    for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
      const code = (e as { code?: unknown }).code;
      if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    }
    throw err;
  }
}

/** An event row as an insider writes it with SQL: well-formed, but never signed by the API. */
const forgedEventSql = (lotId: string, signature: string | null = null) => sql`
  INSERT INTO events (id, type, subject_type, subject_id, actor_sub, actor_role, payload, occurred_at, write_signature)
  VALUES (orotrace_uuid_v7(), 'lot.transferred', 'lot', ${lotId}, 'someone', 'exporter',
          '{"from": "a", "to": "b"}'::jsonb, now(), ${signature})
  RETURNING id`;

const histories = ['events', 'ledger_leaves', 'ledger_nodes', 'ledger_heads', 'lots', 'lot_edges', 'flags'];

describe('the application role (least privilege)', () => {
  it.each(histories)('TRUNCATE %s is refused, even to the table owner or a superuser', async (table) => {
    // The statement trigger refuses it whoever asks (42501); the restricted role is refused earlier.
    expect(await refusal(`TRUNCATE ${table} CASCADE`)).toBe('42501');
    expect(await refusal(`TRUNCATE ${table} CASCADE`, 'orotrace_writer')).toBe('42501');
  });

  it('may neither alter a table, disable a trigger, bypass triggers, nor delete history', async () => {
    for (const statement of [
      'ALTER TABLE events DISABLE TRIGGER events_append_only',
      'ALTER TABLE events ADD COLUMN x int',
      'DROP TABLE ledger_heads CASCADE',
      'SET session_replication_role = replica',
      'DELETE FROM lots',
      'DELETE FROM events',
      'UPDATE events SET payload = payload',
      'UPDATE ledger_nodes SET hash = hash',
      "INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('x', 0)",
    ]) {
      expect(await refusal(statement, 'orotrace_writer'), statement).toBe('42501');
    }
    // What it must do still works: read, insert, update the state tables.
    expect(await refusal('SELECT count(*) FROM events', 'orotrace_writer')).toBeUndefined();
    expect(await refusal('UPDATE lots SET updated_at = updated_at', 'orotrace_writer')).toBeUndefined();
  });

  it('may change what changes (custody, status) but never a fact of record: no backdating, no new weight', async () => {
    for (const statement of [
      "UPDATE lots SET created_at = created_at - interval '31 days'",
      'UPDATE lots SET extracted_on = extracted_on - 400',
      'UPDATE lots SET fine_weight_g = fine_weight_g * 0.9',
      "UPDATE lots SET code = code || 'X'",
      "UPDATE movements SET declared_at = declared_at - interval '70 days'",
      'UPDATE movements SET quantity = quantity / 10',
      "UPDATE movements SET route = 'elsewhere'",
    ]) {
      // Refused by the trigger whoever asks, the application's role or the table's owner.
      expect(await refusal(statement, 'orotrace_writer'), statement).toBe('42501');
      expect(await refusal(statement), statement).toBe('42501');
    }
    expect(
      await refusal('UPDATE lots SET status = status, custody_since = now()', 'orotrace_writer'),
    ).toBeUndefined();
    expect(await refusal('UPDATE movements SET status = status', 'orotrace_writer')).toBeUndefined();
  });

  it("may close a miner's category, or bring its end forward, but never rewrite its dates or values", async () => {
    const { t, w } = ctx;
    const declare = async (body: Record<string, unknown>) => {
      const res = await t.call('POST', `/v1/actors/${w.miner.id}/categories`, { token: w.admin, body });
      expect(res.status, res.text).toBe(201);
      return res.body.id as string;
    };
    // What the API does still works: the first entry, recorded with an end still to come, is cut
    // short by the second (its end brought forward); the second, open, is closed by the third.
    const first = await declare({
      category: 'artisanal',
      miningMethod: 'dredge',
      validFrom: '2020-01-01',
      validTo: '2030-01-01',
    });
    const second = await declare({
      category: 'small_producer',
      miningMethod: 'hydraulic',
      validFrom: '2024-01-01',
    });
    const third = await declare({
      category: 'small_producer',
      miningMethod: 'alluvial',
      validFrom: '2025-01-01',
    });
    const history = async () =>
      rowsOf<{ id: string; valid_from: string; valid_to: string | null }>(
        await t.db.execute(sql`SELECT id, valid_from::text AS valid_from, valid_to::text AS valid_to
          FROM actor_categories WHERE actor_id = ${w.miner.id} ORDER BY valid_from`),
      );
    const before = await history();
    expect(before).toEqual([
      { id: first, valid_from: '2020-01-01', valid_to: '2024-01-01' },
      { id: second, valid_from: '2024-01-01', valid_to: '2025-01-01' },
      { id: third, valid_from: '2025-01-01', valid_to: null },
    ]);

    const admin = await adminDb();
    for (const statement of [
      // The dredge of the first years made alluvial, the small producer made artisanal (its caps).
      `UPDATE actor_categories SET mining_method = 'alluvial' WHERE id = '${first}'`,
      `UPDATE actor_categories SET mining_method = NULL WHERE id = '${first}'`,
      `UPDATE actor_categories SET category = 'artisanal' WHERE id = '${second}'`,
      // Dates moved: a start back-dated, an end pushed back, an entry reopened or made endless.
      `UPDATE actor_categories SET valid_from = '2019-01-01' WHERE id = '${first}'`,
      `UPDATE actor_categories SET valid_to = '2024-06-01' WHERE id = '${first}'`,
      `UPDATE actor_categories SET valid_to = NULL WHERE id = '${second}'`,
      `UPDATE actor_categories SET valid_to = valid_to WHERE id = '${second}'`,
      // Another miner's history, or another record time.
      `UPDATE actor_categories SET actor_id = '${w.trader.id}' WHERE id = '${third}'`,
      `UPDATE actor_categories SET created_at = created_at - interval '1 year' WHERE id = '${third}'`,
      `DELETE FROM actor_categories WHERE id = '${third}'`,
    ]) {
      // Refused whoever asks: the application's role, the connection's own, the table's owner.
      expect(await refusal(statement, 'orotrace_writer'), statement).toBe('42501');
      expect(await refusal(statement), statement).toBe('42501');
      const byAdmin = await admin.execute(sql.raw(statement)).then(
        () => 'done',
        (e: unknown) => String((e as { cause?: { code?: unknown } }).cause?.code),
      );
      expect(byAdmin, statement).toBe('42501');
    }
    expect(await history()).toEqual(before);
    // Closing the open entry is what the application may do, once.
    expect(
      await refusal(
        `UPDATE actor_categories SET valid_to = '2026-01-01' WHERE id = '${third}'`,
        'orotrace_writer',
      ),
    ).toBeUndefined();
    expect(
      await refusal(
        `UPDATE actor_categories SET valid_to = '2027-01-01' WHERE id = '${third}'`,
        'orotrace_writer',
      ),
    ).toBe('42501');
  });

  it.skipIf(!(process.env.CI && process.env.DATABASE_URL))(
    'is what the PostgreSQL suite runs as in CI: a member of orotrace_writer, not a superuser, owning nothing',
    async () => {
      const [me] = rowsOf<{ superuser: boolean; writer: boolean; owns: number }>(
        await ctx.t.db.execute(sql`SELECT r.rolsuper AS superuser,
            pg_has_role(current_user, 'orotrace_writer', 'member') AS writer,
            (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user) AS owns
          FROM pg_roles r WHERE r.rolname = current_user`),
      );
      expect(me).toEqual({ superuser: false, writer: true, owns: 0 });
    },
  );
});

describe('signed writes', () => {
  it('every event the API writes carries a write signature anyone with the JWKS can check', async () => {
    const jwks = (await ctx.t.call('GET', '/.well-known/jwks.json')).body as { keys: { kid: string }[] };
    const rows = rowsOf<{ leaf: LedgerEvent | string; write_signature: string }>(
      await ctx.t.db.execute(sql`SELECT ${leafEventColumns('e')} AS leaf, e.write_signature FROM events e`),
    );
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) {
      const [header, empty, signature] = row.write_signature.split('.');
      expect(empty).toBe('');
      const kid = JSON.parse(Buffer.from(header ?? '', 'base64url').toString()).kid;
      const jwk = jwks.keys.find((k) => k.kid === kid);
      if (!jwk) throw new Error(`no key ${kid} in the JWKS`);
      // RFC 7515 Appendix F: the detached payload goes back between the dots.
      const payload = Buffer.from(eventLeafBytes(jsonColumn<LedgerEvent>(row.leaf))).toString('base64url');
      const { protectedHeader } = await compactVerify(
        `${header}.${payload}.${signature}`,
        await importJWK(jwk, 'ES256'),
      );
      expect(protectedHeader.typ).toBe('orotrace-event+jws');
    }
  });

  it('events the screening writes (flags raised, flags inherited by a split) are signed too: nothing is refused', async () => {
    const { t, w } = ctx;
    const zone = await t.call('POST', '/v1/zones', {
      token: w.admin,
      body: {
        name: 'Reserva de prueba',
        kind: 'protected_area',
        legalBasis: 'D.S. 048-2000-AG',
        validFrom: '2000-09-04',
        geometry: box(-70.105, -12.95, -70.095, -12.94),
      },
    });
    expect(zone.status, zone.text).toBe(201);
    const flagged = await registerLot(t, w); // inside the zone
    expect(flagged.flags.length).toBeGreaterThan(0);
    const split = await t.call('POST', `/v1/lots/${flagged.id}/split`, {
      token: w.minerToken,
      body: { parts: [{ grossWeightG: '600.000' }, { grossWeightG: '400.000' }] },
    });
    expect(split.status, split.text).toBe(201);
    await sequence(t.db, t.ledgerKey);
    const report = await verifyLedger(t.db, keys());
    expect(report.incidents.total, JSON.stringify(report.incidents.latest)).toBe(0);
    expect(report.ok).toBe(true);
    const types = rowsOf<{ type: string }>(
      await t.db.execute(sql`SELECT DISTINCT type FROM events WHERE subject_type = 'flag'`),
    ).map((r) => r.type);
    expect(types.sort()).toEqual(['flag.inherited', 'flag.raised']);
  });

  it('an event inserted with SQL is refused by the sequencer, recorded as an incident, and fails verification', async () => {
    const before = (await sequence(ctx.t.db, ctx.t.ledgerKey)).head.treeSize;
    const [forged] = rowsOf<{ id: string }>(await (await adminDb()).execute(forgedEventSql(ctx.w.lot.id)));
    const honest = await fillerEvents(ctx.t.db, 2);
    const { head } = await sequence(ctx.t.db, ctx.t.ledgerKey);
    // The honest events around it are sequenced; the forgery is not.
    expect(head.treeSize).toBe(before + honest.length);
    const inLog = rowsOf<{ n: number }>(
      await ctx.t.db.execute(
        sql`SELECT count(*)::int AS n FROM ledger_leaves WHERE event_id = ${forged?.id}`,
      ),
    );
    expect(inLog[0]?.n).toBe(0);

    const res = await ctx.t.call('GET', '/v1/ledger/incidents', { token: ctx.w.regulatorToken });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({
        kind: 'event_unsigned',
        eventId: forged?.id,
        detail: expect.stringContaining(forged?.id ?? '?'),
      }),
    ]);
    // Once: a later run does not record it again, nor sequence it.
    await fillerEvents(ctx.t.db, 1);
    expect((await sequence(ctx.t.db, ctx.t.ledgerKey)).head.treeSize).toBe(before + honest.length + 1);
    expect(
      (await ctx.t.call('GET', '/v1/ledger/incidents', { token: ctx.w.regulatorToken })).body.items,
    ).toHaveLength(1);

    const report = await verifyLedger(ctx.t.db, keys());
    expect(report.ok).toBe(false);
    expect(report.firstBadLeaf).toBeUndefined();
    expect(report.incidents).toMatchObject({
      total: 1,
      latest: [{ kind: 'event_unsigned', eventId: forged?.id }],
    });
    expect(report.unsequencedEvents).toBe(0);

    // Regulators only.
    const exporter = await ctx.t.call('GET', '/v1/ledger/incidents', { token: ctx.w.exporterToken });
    expect(exporter.status).toBe(403);
  });

  it('ten thousand events inserted with SQL are ten thousand incidents, and the sequencer goes on', async () => {
    const before = (await sequence(ctx.t.db, ctx.t.ledgerKey)).head.treeSize;
    await (await adminDb()).execute(sql`
      INSERT INTO events (id, type, subject_type, subject_id, actor_sub, actor_role, payload, occurred_at)
      SELECT gen_random_uuid(), 'lot.transferred', 'lot', ${ctx.w.lot.id}, 'insider', 'exporter',
             jsonb_build_object('n', i), now()
        FROM generate_series(1, 10000) AS i`);
    const honest = await fillerEvents(ctx.t.db, 2);
    expect((await sequence(ctx.t.db, ctx.t.ledgerKey)).head.treeSize).toBe(before + honest.length);
    const [n] = rowsOf<{ n: number }>(
      await ctx.t.db.execute(
        sql`SELECT count(*)::int AS n FROM ledger_incidents WHERE kind = 'event_unsigned'`,
      ),
    );
    expect(n?.n).toBe(10_000);
  });

  it('a signature copied from another event does not make a forgery pass', async () => {
    const [real] = rowsOf<{ write_signature: string }>(
      await ctx.t.db.execute(sql`SELECT write_signature FROM events LIMIT 1`),
    );
    const [forged] = rowsOf<{ id: string }>(
      await (await adminDb()).execute(forgedEventSql(ctx.w.lot.id, real?.write_signature ?? null)),
    );
    await sequence(ctx.t.db, ctx.t.ledgerKey);
    const { items } = (await ctx.t.call('GET', '/v1/ledger/incidents', { token: ctx.w.regulatorToken })).body;
    expect(items).toEqual([
      expect.objectContaining({ kind: 'event_signature_invalid', eventId: forged?.id }),
    ]);
  });

  it('a signed event altered before it is sequenced (triggers bypassed by session_replication_role) is refused', async () => {
    const [id = ''] = await fillerEvents(ctx.t.db, 1);
    const admin = await adminDb();
    await admin.transaction(async (tx) => {
      await tx.execute(sql`SELECT set_config('session_replication_role', 'replica', true)`);
      await tx.execute(
        sql`UPDATE events SET payload = '{"grossWeightG": "999.000"}'::jsonb WHERE id = ${id}`,
      );
    });
    await sequence(ctx.t.db, ctx.t.ledgerKey);
    const { items } = (await ctx.t.call('GET', '/v1/ledger/incidents', { token: ctx.w.regulatorToken })).body;
    expect(items).toEqual([expect.objectContaining({ kind: 'event_signature_invalid', eventId: id })]);
  });
});

describe('a superuser past the triggers', () => {
  it('a sequenced event edited with session_replication_role = replica (no DDL) is found and located', async () => {
    const [row] = rowsOf<{ id: string; leaf_index: string | number }>(
      await ctx.t.db.execute(sql`SELECT e.id, l.leaf_index FROM events e JOIN ledger_leaves l ON l.event_id = e.id
        WHERE e.type = 'lot.registered' ORDER BY l.leaf_index DESC LIMIT 1`),
    );
    await (await adminDb()).transaction(async (tx) => {
      await tx.execute(sql`SELECT set_config('session_replication_role', 'replica', true)`);
      await tx.execute(
        sql`UPDATE events SET payload = payload || '{"grossWeightG": "2000.000"}'::jsonb WHERE id = ${row?.id}`,
      );
    });
    const report = await verifyLedger(ctx.t.db, keys());
    expect(report.ok).toBe(false);
    expect(report.firstBadLeaf).toMatchObject({ leafIndex: Number(row?.leaf_index), eventId: row?.id });
  });

  it('a rewritten node of the stored tree stops the sequencer, which records why instead of signing', async () => {
    const { head } = await sequence(ctx.t.db, ctx.t.ledgerKey);
    // The rightmost complete node of each level: the subtrees every later root is built on.
    await (await adminDb()).transaction(async (tx) => {
      await tx.execute(sql`SELECT set_config('session_replication_role', 'replica', true)`);
      await tx.execute(sql`UPDATE ledger_nodes SET hash = sha256(hash)
        WHERE (level, idx) IN (SELECT level, max(idx) FROM ledger_nodes GROUP BY level)`);
    });
    await fillerEvents(ctx.t.db, 1);
    await expect(sequence(ctx.t.db, ctx.t.ledgerKey)).rejects.toThrow(/stored tree of \d+ leaves gives root/);
    const [count] = rowsOf<{ n: number }>(
      await ctx.t.db.execute(sql`SELECT max(tree_size)::int AS n FROM ledger_heads`),
    );
    expect(count?.n).toBe(head.treeSize);
    const { items } = (await ctx.t.call('GET', '/v1/ledger/incidents', { token: ctx.w.regulatorToken })).body;
    expect(items).toEqual([expect.objectContaining({ kind: 'tree_mismatch', treeSize: head.treeSize })]);
  });

  it('a forged head row stops the sequencer too', async () => {
    const { head } = await sequence(ctx.t.db, ctx.t.ledgerKey);
    await (
      await adminDb()
    ).execute(sql`INSERT INTO ledger_heads (tree_size, root_hash, signed_at, key_id, signature, xid_horizon)
      VALUES (${head.treeSize + 1}, decode(${head.rootHash}, 'hex'), now(), ${head.keyId}, ${head.signature}, '0'::xid8)`);
    await fillerEvents(ctx.t.db, 1);
    await expect(sequence(ctx.t.db, ctx.t.ledgerKey)).rejects.toThrow(/not signed by the ledger key/);
    const { items } = (await ctx.t.call('GET', '/v1/ledger/incidents', { token: ctx.w.regulatorToken })).body;
    expect(items).toEqual([
      expect.objectContaining({ kind: 'head_signature_invalid', treeSize: head.treeSize + 1 }),
    ]);
  });
});
