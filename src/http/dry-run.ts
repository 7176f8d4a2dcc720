import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Db } from '../db/client.js';
import { type DryRun, type DryRunOutcome, dryRun, writeAsPreviewed } from '../domain/screening/dry-run.js';
import { ruleCodes, severities } from '../domain/shared/vocabulary.js';
import type { AppEnv } from './env.js';

/**
 * `?dryRun=`: on a screened write, `true` runs the write and rolls it back, answering 200 with
 * what it would have produced and the flags it would have raised (domain/screening/dry-run.ts).
 * Only `true` and `false` are accepted: a client that misspells it must not write for real.
 */
export const dryRunQuery = z.object({
  dryRun: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .openapi({
      param: { name: 'dryRun', in: 'query' },
      type: 'string',
      enum: ['true', 'false'],
      description:
        'true: check the write without making it. The same validation and authorization run, and ' +
        'a write that would be refused is refused with the same problem; otherwise 200 with ' +
        '`dryRun: true`, what the write would produce and every flag it would raise (inherited ' +
        'ones included), and nothing is written: no row, no ledger event, no code drawn (new lots ' +
        'and movements have `code: null`, a `provisionalCode` that is not reserved, and no QR URL). ' +
        'An exporter is told only of flags on lots it may read (a write can flag lots of others, ' +
        'which are theirs), and `expectFlags` counts the same.',
    }),
});

/** Runs `write` as this request's dry run: rolled back, and marked so that nothing is sequenced. */
export function dryRunOf<T>(
  c: Context<AppEnv>,
  write: (db: Db, run: DryRun) => Promise<T>,
): Promise<DryRunOutcome<T>> {
  c.set('dryRun', true);
  return dryRun(c.var.services.db, write, c.var.principal);
}

/**
 * A write confirmed after its dry run, for the request's principal and the flags its
 * `?expectFlags=` names (writeAsPreviewed); `answered` picks the lots the write answers with.
 */
export function previewedWriteOf<T>(
  c: Context<AppEnv>,
  expectFlags: readonly string[] | undefined,
  write: (db: Db) => Promise<T>,
  answered: Parameters<typeof writeAsPreviewed<T>>[4],
): Promise<T> {
  return writeAsPreviewed(c.var.services.db, c.var.principal, expectFlags, write, answered);
}

const flagKeyRe = new RegExp(`^(${ruleCodes.join('|')}):(${severities.join('|')})$`);

/**
 * `?dryRun=` and, for the confirmation that follows a dry run, `?expectFlags=`: the flags the
 * person was shown (domain/screening/dry-run.ts writeAsPreviewed).
 */
export const previewedQuery = dryRunQuery.extend({
  expectFlags: z
    .string()
    .max(4000)
    .optional()
    .transform((s, ctx) => {
      if (s === undefined) return undefined;
      const keys = s === '' ? [] : s.split(',').map((k) => k.trim());
      if (!keys.every((k) => flagKeyRe.test(k))) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be RULE:severity pairs separated by commas, or empty',
        });
        return z.NEVER;
      }
      return keys;
    })
    .openapi({
      param: { name: 'expectFlags', in: 'query' },
      type: 'string',
      example: 'ORIGIN_OUTSIDE_CONCESSION:high,PRODUCER_NOT_OPERATOR:medium',
      description:
        'The confirmation of a previewed write: the flags the person was shown by the dry run, as ' +
        'comma-separated `RULE:severity` pairs (empty: none) — every flag the dry run raised and ' +
        'every open or escalated flag on the lots it answered. The write is made only if it would ' +
        'raise or carry no other; otherwise nothing is written and the answer is 409 ' +
        '`/problems/preview-outdated` with `unexpectedFlags` ({rule, severity}), so that the ' +
        'person reviews again. Absent: no check. Ignored with `dryRun=true`.',
    }),
});
