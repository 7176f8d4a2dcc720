import type { MiddlewareHandler } from 'hono';
import type { AppEnv, SequencingSchedule } from './env.js';

/**
 * Sequencing after writes (issue 6): a successful write schedules the ledger's sequencer and
 * answers at once; appending and signing happen off the request's path, so writers never wait
 * for hashing. How a run is scheduled depends on the runtime (`Services['sequencing']`): on Node
 * a per-process runner (below), on Workers `waitUntil` over the request's own client
 * (src/worker.ts). Runs from many processes queue on the sequencer's advisory lock.
 */

export interface SequenceRunner extends SequencingSchedule {
  /** Resolves once no run is in flight or queued (before closing the database, in tests). */
  idle(): Promise<void>;
}

/**
 * A debounced runner: one run in flight at a time; writes that arrive meanwhile queue exactly
 * one more run, which picks up all of them. A failing run is reported, never thrown into a
 * request; the next write tries again.
 */
export function createSequenceRunner(
  run: () => Promise<unknown>,
  logError: (err: unknown) => void = (err) => console.error('ledger sequencing failed:', err),
): SequenceRunner {
  let inFlight: Promise<void> | undefined;
  let queued = false;
  const start = async (): Promise<void> => {
    for (;;) {
      queued = false;
      try {
        await run();
      } catch (err) {
        logError(err);
      }
      // Checked and cleared in one step: a write scheduled after this sees no run and starts one.
      if (!queued) {
        inFlight = undefined;
        return;
      }
    }
  };
  return {
    schedule() {
      if (inFlight) queued = true;
      else inFlight = start();
    },
    async idle() {
      while (inFlight) await inFlight;
    },
  };
}

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * After a successful write (POST/PUT/PATCH/DELETE answered below 400), schedules sequencing;
 * not after a dry run, which wrote nothing and wakes nothing.
 */
export const sequenceAfterWrites: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const { sequencing = 'off' } = c.var.services;
  if (sequencing === 'off' || c.var.dryRun) return;
  if (writeMethods.has(c.req.method) && c.res.status < 400) sequencing.schedule();
};
