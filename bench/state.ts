import { sql } from 'drizzle-orm';
import { rowsOf } from '../src/db/client.js';
import { checkState } from '../src/domain/audit/state-check.js';
import { appendEvents } from '../src/domain/ledger/events.js';
import { sequence } from '../src/domain/ledger/store.js';
import { verifyLedger } from '../src/domain/ledger/verify.js';
import { type Bench, benchMiner, printTable, timed } from './harness.js';

/**
 * The state check (domain/audit/state-check.ts: every event replayed, every lot and movement row
 * compared) over a history of BENCH_STATE_LOTS (100,000) lots, each registered and every other
 * one transferred — rows by INSERT … SELECT, their events signed as the API writes them, then sequenced — beside
 * the verification of the same log (verifyLedger), which GET /v1/ledger/verify runs before it.
 * Lots and events other suites wrote count too (the lots suite's raw rows, with empty payloads,
 * show as differences): run it alone with BENCH_ONLY=state for the clean figure.
 */

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/**
 * `count` lots (rows by INSERT … SELECT, `chunk` a statement) and their lot.registered events,
 * written as the API writes events (appendEvents: signed with the write key, or the sequencer
 * would refuse them); then every other lot transferred, with its event.
 */
async function writeHistory(b: Bench, count: number, chunk = 5_000): Promise<void> {
  const { actorId, concessionId } = await benchMiner(b);
  const { actorId: buyerId } = await benchMiner(b);
  const by = { sub: 'bench-state', role: 'exporter' as const, actorId };
  for (let from = 0; from < count; from += chunk) {
    const to = Math.min(count, from + chunk) - 1;
    await b.db.transaction(async (tx) => {
      const made = rowsOf<{ id: string; code: string }>(
        await tx.execute(sql`
          INSERT INTO lots (id, code, producer_id, concession_id, extracted_on, gross_weight_g, fineness,
                            fine_weight_g, form, custodian_id, qr_token)
          SELECT orotrace_uuid_v7(), 'BENCH-S-' || lpad(i::text, 9, '0'), ${actorId}, ${concessionId}, '2026-10-01',
                 1250.5, 870, 1087.935, 'dore', ${actorId}, 'x'
            FROM generate_series(${from}::int, ${to}::int) AS i
          RETURNING id, code`),
      );
      await appendEvents(
        tx,
        by,
        made.map(({ id, code }) => ({
          type: 'lot.registered',
          subjectType: 'lot',
          subjectId: id,
          payload: {
            code,
            producerId: actorId,
            concessionId,
            extractedOn: '2026-10-01',
            grossWeightG: '1250.500',
            fineness: '870.000',
            fineWeightG: '1087.935',
            form: 'dore',
            custodianId: actorId,
          },
        })),
      );
    });
  }
  await b.db.transaction(async (tx) => {
    const moved = rowsOf<{ id: string }>(
      await tx.execute(sql`
        UPDATE lots SET custodian_id = ${buyerId}, custody_since = now()
         WHERE code LIKE 'BENCH-S-%' AND right(code, 1) IN ('0', '2', '4', '6', '8')
        RETURNING id`),
    );
    for (let i = 0; i < moved.length; i += chunk) {
      await appendEvents(
        tx,
        by,
        moved.slice(i, i + chunk).map(({ id }) => ({
          type: 'lot.transferred',
          subjectType: 'lot',
          subjectId: id,
          payload: { from: actorId, to: buyerId },
        })),
      );
    }
  });
  await b.db.execute(sql`ANALYZE lots`);
  await b.db.execute(sql`ANALYZE events`);
}

export async function runStateBenchmarks(b: Bench): Promise<void> {
  const n = Number(process.env.BENCH_STATE_LOTS ?? 100_000);
  const write = await timed(() => writeHistory(b, n));
  await sequence(b.db, b.ledgerKey, { batch: 10_000 });
  const verify = await timed(() => verifyLedger(b.db, [b.ledgerKey.publicJwk]));
  const state = await timed(() => checkState(b.db));
  const r = state.result;
  const perThousand = (state.ms / r.lotsChecked) * 1000;
  printTable(
    `State against the log (${b.database.kind}; history of ${fmt(n)} lots written in ${fmt(write.ms / 1000, 1)} s)`,
    [
      {
        figure: `state check: ${fmt(r.lotsChecked)} lots, ${fmt(r.movementsChecked)} movements, ${fmt(r.eventsReplayed)} events replayed (${fmt(r.differencesTotal)} differences)`,
        value: `${fmt(state.ms / 1000, 2)} s (${fmt(perThousand, 1)} ms per 1,000 lots, ${fmt((r.eventsReplayed / state.ms) * 1000)} events/s)`,
        baseline: `verify the log (${fmt(verify.result.treeSize)} leaves): ${fmt(verify.ms / 1000, 2)} s`,
        ratio: `${fmt(state.ms / verify.ms, 2)}×`,
        target: '≤ 1× the log verification',
      },
    ],
  );
}
