import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError, problemCodes } from '../../src/domain/shared/errors.js';
import { problemOf } from '../../src/http/problem.js';
import { ApiProblem, NetworkError } from '../../src/web/shared/api.js';
import { formatGrams, formatNumber, typedDecimal } from '../../src/web/shared/numbers.js';
import { describeProblem, problemTypeWords } from '../../src/web/shared/problems.js';
import { href, parseRoute } from '../../src/web/shared/route.js';

describe('numbers as people in Peru read and type them', () => {
  it('shows grams grouped, without trailing zeros that read as thousands', () => {
    expect(formatGrams('500.000', 'es')).toBe('500\u00a0g');
    expect(formatGrams('1250.500', 'es')).toBe('1,250.5\u00a0g');
    expect(formatNumber(6000, 'es')).toBe('6,000');
    expect(formatNumber(null, 'es')).toBe('—');
  });

  it('takes a decimal comma or a decimal point, and grouping marks when both are typed', () => {
    expect(typedDecimal('12,5')).toBe('12.5');
    expect(typedDecimal('12.5')).toBe('12.5');
    expect(typedDecimal(' 1.250,75 ')).toBe('1250.75');
    expect(typedDecimal('1,250.75')).toBe('1250.75');
    expect(typedDecimal('1 250,5')).toBe('1250.5');
    expect(typedDecimal('1.250.000')).toBe('1250000');
    expect(typedDecimal('500')).toBe('500');
    expect(typedDecimal('0,995')).toBe('0.995');
    expect(typedDecimal('007,10')).toBe('7.10');
    expect(typedDecimal('99999999999,9995')).toBe('99999999999.9995');
  });

  it('refuses what is not a number', () => {
    for (const bad of ['', 'abc', '12,5,3', '1.2.3', '1,25.000.5', '12a', ',', '1.25,0.0'])
      expect(typedDecimal(bad), bad).toBeNull();
  });
});

describe('addresses inside an app', () => {
  it('reads and writes the fragment of a screen and a lot', () => {
    const r = parseRoute('#/lots/0190a1b2-0000-7000-8000-000000000001?tab=flags');
    expect(r.path).toEqual(['lots', '0190a1b2-0000-7000-8000-000000000001']);
    expect(r.query.get('tab')).toBe('flags');
    expect(parseRoute(href(['lots', 'AU 2026/1'], { q: 'x y' })).path).toEqual(['lots', 'AU 2026/1']);
    expect(parseRoute('').path).toEqual([]);
  });

  it('reads the older "#lot=<id>" form as the route it meant', () => {
    expect(parseRoute('#lot=abc').path).toEqual(['lot', 'abc']);
    expect(parseRoute('#flags').path).toEqual(['flags']);
  });
});

describe('problems in the reader’s language', () => {
  const problem = new ApiProblem(404, {
    type: '/problems/not-found',
    title: 'Not found',
    status: 404,
    detail: 'actor 123 does not exist',
  });

  it('words a problem by its stable type, never the English detail, in Spanish', () => {
    const es = describeProblem(problem, 'es');
    expect(es).toContain('No existe');
    expect(es).not.toContain('does not exist');
    expect(describeProblem(problem, 'en')).toContain('actor 123 does not exist');
  });

  it('names the failing fields as the form calls them', () => {
    const invalid = new ApiProblem(400, {
      type: '/problems/validation',
      title: 'Invalid request',
      status: 400,
      detail: 'invalid body',
      errors: [{ field: 'toActorId', message: 'Invalid UUID' }],
    });
    expect(describeProblem(invalid, 'es', { toActorId: 'Destinatario' })).toMatch(/Revise: Destinatario\./);
  });

  /** Every source file under src, to read what problems the server writes. */
  async function sources(dir = 'src'): Promise<{ path: string; text: string }[]> {
    const out: { path: string; text: string }[] = [];
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) out.push(...(await sources(path)));
      else if (/\.tsx?$/.test(e.name) && path !== join('src', 'client', 'openapi.ts'))
        out.push({ path, text: await readFile(path, 'utf8') });
    }
    return out;
  }

  it('words every problem type the API can answer, in Spanish and in English', async () => {
    // The ledger's own: one per ApiError code, as http/problem.ts writes its type.
    const types = Object.keys(problemCodes).map(
      (code) => problemOf(new ApiError(code as keyof typeof problemCodes, 'x')).type,
    );
    // Every other problem+json the server writes: only the EPCIS interface's exceptions, each named
    // in the file that answers it.
    const writers = (await sources()).filter(
      (f) => f.text.includes("'application/problem+json'") && !f.path.endsWith(join('http', 'openapi.ts')),
    );
    for (const f of writers) {
      if (f.text.includes('epcisException:')) {
        for (const [, kind] of f.text.matchAll(/\b([A-Z][A-Za-z]+Exception)\b/g))
          types.push(`epcisException:${kind}`);
      } else {
        // Anything else writing problem+json must build it with problemOf (the ledger's types).
        expect(f.text, f.path).toMatch(/problemOf\(|problemSchema/);
      }
    }
    expect(types.filter((t) => t.startsWith('epcisException:')).length).toBeGreaterThan(5);
    for (const type of new Set(types)) {
      const es = problemTypeWords(type, 'es');
      const en = problemTypeWords(type, 'en');
      expect(es, type).toBeTruthy();
      expect(en, type).toBeTruthy();
      expect(es, type).not.toBe(en);
      const shown = describeProblem(
        new ApiProblem(400, { type, title: 'x', status: 400, detail: 'English detail' }),
        'es',
      );
      expect(shown, type).toBe(es);
    }
  });

  it('says a network failure is one, in words', () => {
    expect(describeProblem(new NetworkError('fetch failed'), 'es')).toContain('Sin conexión');
  });
});
