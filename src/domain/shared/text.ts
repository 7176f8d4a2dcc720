import { z } from 'zod';

/**
 * Text as the API accepts it in every request: trimmed, of bounded length, and storable.
 * PostgreSQL refuses the NUL character in `text` and `jsonb`, and a lone UTF-16 surrogate (half
 * of an emoji, as JSON can spell it: "\ud800") cannot be encoded as UTF-8 at all; both once
 * reached the database and came back as 500s. Single-line text (names, codes, ids) refuses
 * control characters altogether; multi-line text (reasons, notes) keeps tab and line breaks.
 */

/** The default upper bound: a name, a code, a reference; longer fields say their own. */
const defaultMaxText = 200;

interface TextOptions {
  /** Fewest characters after trimming (default 1: empty text is not text). */
  min?: number;
  /** Most characters after trimming (UTF-16 code units, as JSON Schema's maxLength counts here). */
  max?: number;
  /** Keep tab, line feed and carriage return (reasons, notes); default false. */
  multiline?: boolean;
}

// \p{Cc}: U+0000 … U+001F and U+007F … U+009F; multi-line text keeps tab, LF and CR.
const singleLineControl = /\p{Cc}/u;
const multiLineControl = /(?![\t\n\r])\p{Cc}/u;
// With the u flag a paired surrogate is one code point: \p{Cs} matches only a lone half.
const loneSurrogate = /\p{Cs}/u;

const hex = (c: string) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Where a JSON value (a body taken whole, extension members included) holds text PostgreSQL
 * cannot store: the NUL character, or a lone surrogate, in a string or a member's name.
 */
export function unstorableText(
  value: unknown,
  path: (string | number)[] = [],
): { path: (string | number)[]; message: string } | undefined {
  const check = (s: string, at: (string | number)[]) => {
    if (s.includes('\u0000')) return { path: at, message: 'must not contain the NUL character (U+0000)' };
    const lone = loneSurrogate.exec(s)?.[0];
    return lone
      ? {
          path: at,
          message: `must be well-formed Unicode: it holds a lone surrogate (${hex(lone)}), half of a character`,
        }
      : undefined;
  };
  if (typeof value === 'string') return check(value, path);
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const bad = unstorableText(v, [...path, i]);
      if (bad) return bad;
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      const bad = check(k, [...path, k]) ?? unstorableText(v, [...path, k]);
      if (bad) return bad;
    }
  }
  return undefined;
}

export function text(opts: TextOptions = {}) {
  const min = opts.min ?? 1;
  const max = opts.max ?? defaultMaxText;
  const control = opts.multiline ? multiLineControl : singleLineControl;
  return z
    .string()
    .trim()
    .min(min, min === 1 ? 'must not be empty' : `must have at least ${min} characters`)
    .max(max, `must have at most ${max} characters`)
    .superRefine((s, ctx) => {
      if (s.includes('\u0000')) {
        ctx.addIssue({ code: 'custom', message: 'must not contain the NUL character (U+0000)' });
      } else {
        const c = control.exec(s)?.[0];
        if (c) ctx.addIssue({ code: 'custom', message: `must not contain the control character ${hex(c)}` });
      }
      const lone = loneSurrogate.exec(s)?.[0];
      if (lone) {
        ctx.addIssue({
          code: 'custom',
          message: `must be well-formed Unicode: it holds a lone surrogate (${hex(lone)}), half of a character`,
        });
      }
    });
}
