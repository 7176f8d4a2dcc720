import { desc, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, type Queryable, rowsOf } from '../../db/client.js';
import { ledgerIncidents } from '../../db/schema/index.js';
import { newId } from '../shared/ids.js';
import { afterId, type Page, type PageRequest, pageFrom } from '../shared/page.js';
import { ledgerIncidentKinds } from '../shared/vocabulary.js';

/**
 * Incidents: what the sequencer refused to put in the log, or found wrong in it (store.ts). They
 * are the trace an insider leaves by writing to the database behind the API's back: an event
 * inserted by SQL has no valid write signature; a tree rewritten under the last signed head no
 * longer gives its root. Each is recorded once (its fingerprint), append-only, and served to
 * regulators at GET /v1/ledger/incidents and in the verification report.
 */

export const incidentSchema = z.object({
  id: z.uuid(),
  kind: z.enum(ledgerIncidentKinds).meta({
    description:
      'event_unsigned | event_signature_invalid: an event the sequencer refused (written without the API, or altered before it was sequenced); tree_mismatch: the stored tree no longer gives the last signed head, so the sequencer stopped; head_signature_invalid: the last stored head is not signed by the ledger key.',
  }),
  eventId: z.uuid().nullable(),
  treeSize: z.number().int().nullable(),
  detail: z.string(),
  evidence: z.record(z.string(), z.unknown()),
  detectedAt: z.string().meta({ description: 'ISO 8601 UTC.' }),
});
export type Incident = z.output<typeof incidentSchema>;

export interface NewIncident {
  kind: Incident['kind'];
  /** What makes two findings the same incident (recorded once). */
  fingerprint: string;
  eventId?: string;
  treeSize?: number;
  detail: string;
  evidence?: Record<string, unknown>;
}

/** Records incidents not recorded before; also logged, so an operator sees them in the server log. */
export async function recordIncidents(db: Queryable, list: NewIncident[]): Promise<void> {
  if (list.length === 0) return;
  // Each one in the log, up to a point: ten thousand events inserted behind the API are ten
  // thousand incidents, all in the table, not ten thousand lines.
  for (const i of list.slice(0, logged)) console.error(`ledger incident (${i.kind}): ${i.detail}`);
  if (list.length > logged)
    console.error(`ledger incidents: ${list.length - logged} more (GET /v1/ledger/incidents)`);
  // In slices: the protocol carries at most 65,535 parameters a statement (7 a row here).
  for (let at = 0; at < list.length; at += perStatement) {
    await db
      .insert(ledgerIncidents)
      .values(
        list.slice(at, at + perStatement).map((i) => ({
          id: newId(),
          kind: i.kind,
          fingerprint: i.fingerprint,
          eventId: i.eventId ?? null,
          treeSize: i.treeSize ?? null,
          detail: i.detail,
          evidence: i.evidence ?? {},
        })),
      )
      .onConflictDoNothing({ target: ledgerIncidents.fingerprint });
  }
}

/** Incidents written to the server's log one by one; the rest are counted. */
const logged = 20;
/** Incidents inserted per statement. */
const perStatement = 1000;

const toIncident = (r: typeof ledgerIncidents.$inferSelect): Incident => ({
  id: r.id,
  kind: r.kind,
  eventId: r.eventId,
  treeSize: r.treeSize,
  detail: r.detail,
  evidence: r.evidence,
  detectedAt: r.detectedAt.toISOString(),
});

/** Incidents, newest first. */
export async function listIncidents(db: Queryable, page: PageRequest): Promise<Page<Incident>> {
  const before = afterId(page.cursor);
  const rows = await db
    .select()
    .from(ledgerIncidents)
    .where(before ? lt(ledgerIncidents.id, before) : undefined)
    .orderBy(desc(ledgerIncidents.id))
    .limit(page.limit + 1);
  return pageFrom(rows.map(toIncident), page.limit);
}

/** How many incidents were ever recorded, and the latest few (for the verification report). */
export async function incidentSummary(db: Db | Queryable): Promise<{ total: number; latest: Incident[] }> {
  const [count] = rowsOf<{ n: number }>(
    await db.execute(sql`SELECT count(*)::int AS n FROM ledger_incidents`),
  );
  const latest = (await listIncidents(db, { limit: 10 })).items;
  return { total: count?.n ?? 0, latest };
}
