/**
 * The LA/FT report as the compliance officer opens it, over the demo (every rule fires there):
 * every flag's evidence in Spanish words — no English, no code of the vocabulary, no evidence
 * key — and in English on request.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/madre-de-dios.js';
import { type TestContext, testApp } from '../helpers/app.js';
import { rawWordIn } from '../web/raw-words.js';

let t: TestContext;
let token: string;
beforeAll(async () => {
  t = await testApp();
  await loadDemo(t.db, undefined, { ledgerKey: t.ledgerKey, baseUrl: 'http://demo' });
  token = await t.token('regulator');
}, 240_000);

/** The rows of a CSV that has a byte order mark, quoted fields and CRLF line ends, by header. */
function rows(text: string): Record<string, string>[] {
  const cells: string[][] = [[]];
  let field = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells[cells.length - 1]?.push(field);
      field = '';
    } else if (ch === '\r' && body[i + 1] === '\n') {
      cells[cells.length - 1]?.push(field);
      field = '';
      cells.push([]);
      i++;
    } else field += ch;
  }
  const [header = [], ...data] = cells.filter((r) => r.length > 1);
  return data.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

describe('the LA/FT report over the demo', () => {
  it('words the evidence of every flag in Spanish, with no English and no code', async () => {
    const from = new Date(Date.now() - 300 * 86_400_000).toISOString().slice(0, 10);
    const res = await t.call('GET', `/v1/reports/aml?format=csv&from=${from}`, { token });
    expect(res.status, res.text).toBe(200);
    const es = rows(res.text);
    expect(es.length).toBeGreaterThan(10);
    const puzzling: string[] = [];
    for (const row of es) {
      const summary = row['Resumen de la evidencia'] ?? '';
      expect(summary, row.Código).not.toBe('');
      // Each flag's part, and each "label: value" in it, read as a person reads it.
      for (const part of summary.split(/ \| |; |: /)) {
        const why = rawWordIn(part.trim());
        if (why) puzzling.push(`${row.Código}: ${why}`);
      }
    }
    expect(puzzling).toEqual([]);
    const en = await t.call('GET', `/v1/reports/aml?format=csv&from=${from}&lang=en`, { token });
    expect(rows(en.text).map((r) => r.evidence_summary?.split(':')[0])).toContain('ORIGIN_IN_EXCLUSION_ZONE');
  });
});
