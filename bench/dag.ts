import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../src/db/client.js';
import { lotEdges, lots } from '../src/db/schema/index.js';
import { uuidArray } from '../src/db/sql.js';
import { appendEvents } from '../src/domain/ledger/events.js';
import { newId } from '../src/domain/shared/ids.js';

type LotInsert = Omit<typeof lots.$inferInsert, 'origin'> & { origin: SQL };
type EdgeInsert = typeof lotEdges.$inferInsert;

/**
 * Writes, straight into the tables, a lot whose ancestry is about `target` lots, built as
 * custody builds it: rounds of splits (each lot into two parts) then merges (four parts of
 * neighbouring lots into one), so the graph is a DAG with shared ancestry, not a tree.
 * Weights are consistent (parts carry half, merges the sum). Returns the final lot's id and
 * the exact size of its ancestry. Each lot gets one event (its registration, signed as the API
 * signs its events, so that the ledger sequences it) and every tenth an open flag, so that a
 * provenance carries events and flags as a real one does.
 */
export async function buildAncestry(db: Db, target: number, refs: { actorId: string; concessionId: string }) {
  const leaves = Math.max(2, Math.round(target / 6));
  const rows: LotInsert[] = [];
  const edges: EdgeInsert[] = [];
  const fine = new Map<string, number>();
  const lot = (f: number, status: 'active' | 'consumed'): string => {
    const id = newId();
    fine.set(id, f);
    const g = f.toFixed(3);
    rows.push({
      id,
      code: `BENCH-${id}`,
      producerId: refs.actorId,
      concessionId: refs.concessionId,
      origin: sql`ST_SetSRID(ST_MakePoint(-70.1, -12.945), 4326)`,
      extractedOn: '2026-01-01',
      grossWeightG: g,
      fineness: '1000.000',
      fineWeightG: g,
      form: 'dore',
      custodianId: refs.actorId,
      status,
      qrToken: 'bench',
    });
    return id;
  };
  let layer = Array.from({ length: leaves }, () => lot(1024, 'consumed'));
  while (layer.length > 1) {
    const parts: string[] = [];
    for (const parent of layer) {
      for (let i = 0; i < 2; i++) {
        const half = (fine.get(parent) ?? 0) / 2;
        const child = lot(half, 'consumed');
        edges.push({ parentId: parent, childId: child, operation: 'split', fineWeightG: half.toFixed(3) });
        parts.push(child);
      }
    }
    const next: string[] = [];
    for (let i = 0; i < parts.length; i += 4) {
      const group = parts.slice(i, i + 4);
      const total = group.reduce((a, p) => a + (fine.get(p) ?? 0), 0);
      const merged = lot(total, 'consumed');
      for (const p of group)
        edges.push({
          parentId: p,
          childId: merged,
          operation: 'merge',
          fineWeightG: (fine.get(p) ?? 0).toFixed(3),
        });
      next.push(merged);
    }
    layer = next;
  }
  const root = layer[0] as string;
  const last = rows.find((r) => r.id === root);
  if (last) last.status = 'active';
  for (let i = 0; i < rows.length; i += 1000) await db.insert(lots).values(rows.slice(i, i + 1000));
  for (let i = 0; i < edges.length; i += 1000) await db.insert(lotEdges).values(edges.slice(i, i + 1000));
  const ids = rows.map((r) => r.id);
  for (let i = 0; i < ids.length; i += 5000) {
    const chunk = uuidArray(ids.slice(i, i + 5000));
    await appendEvents(
      db,
      { sub: 'bench', role: 'exporter' },
      rows.slice(i, i + 5000).map((r) => ({
        type: 'lot.registered',
        subjectType: 'lot',
        subjectId: r.id,
        payload: {
          code: r.code,
          producerId: r.producerId,
          concessionId: r.concessionId,
          origin: { type: 'Point', coordinates: [-70.1, -12.945] },
          extractedOn: r.extractedOn,
          grossWeightG: r.grossWeightG,
          fineness: r.fineness,
          fineWeightG: r.fineWeightG,
          form: r.form,
          custodianId: r.custodianId,
        },
      })),
    );
    await db.execute(sql`INSERT INTO flags (id, rule, severity, subject_type, subject_id, evidence, status, fingerprint)
      SELECT gen_random_uuid(), 'PRODUCER_NOT_FORMALIZED', 'low', 'lot', id, '{"producer": "bench"}', 'open', id::text
      FROM unnest(${chunk}) WITH ORDINALITY AS u(id, n) WHERE n % 10 = 0`);
  }
  for (const table of ['lots', 'lot_edges', 'events', 'flags']) await db.execute(sql.raw(`ANALYZE ${table}`));
  return { lotId: root, ancestors: rows.length - 1 };
}
