import { z } from 'zod';

/**
 * An array of at most `max` items, `what` naming them in the refusal ("at most 50 routes").
 * Every array a client sends is one of these, so no request can make the server walk, store or
 * screen an unbounded list; the HTTP layer answers the refusal 422 naming the field and the limit.
 */
export const boundedArray = <T extends z.ZodType>(item: T, max: number, what: string) =>
  z.array(item).max(max, `at most ${max.toLocaleString('en')} ${what}`);

/**
 * A refusal for size, not for form: an array above its maximum (boundedArray), or a custom
 * issue that carries its limit in `params.limit` (the vertex cap of geojson.ts).
 */
export function isLimitIssue(issue: z.core.$ZodIssue): boolean {
  if (issue.code === 'too_big') return issue.origin === 'array';
  return issue.code === 'custom' && typeof issue.params?.limit === 'number';
}
