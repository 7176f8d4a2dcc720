/**
 * The console names every ledger event in words: each type the domain writes (read from its
 * source, so a new one is caught the day it is added) has a word in both languages, and the
 * console keeps no zone, concession or event words of its own beside the shared dictionaries.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ledgerEventTypes, ledgerEventWords } from '../../src/domain/shared/words.js';
import * as regulatorWords from '../../src/web/regulator/i18n.js';

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await sources(path)));
    else if (e.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

describe('ledger events in words', () => {
  it('every event type the domain writes is worded in Spanish and English, overlap cases included', async () => {
    const written = new Set<string>();
    for (const file of await sources('src/domain')) {
      const text = await readFile(file, 'utf8');
      for (const m of text.matchAll(/\btype: '([a-z_]+\.[a-z_.]+)'/g)) written.add(m[1] as string);
    }
    expect(written.size).toBeGreaterThan(30);
    expect([...written].filter((t) => t.startsWith('overlap_case.'))).toHaveLength(3);
    expect([...written].filter((t) => !(ledgerEventTypes as readonly string[]).includes(t))).toEqual([]);
    for (const lang of ['es', 'en'] as const) {
      for (const t of ledgerEventTypes) expect(ledgerEventWords[lang][t], `${lang} ${t}`).toMatch(/^\p{Lu}/u);
    }
  });

  it('the console keeps no zone, concession, checkpoint or event words of its own', () => {
    const own = Object.keys(regulatorWords);
    for (const name of [
      'zoneKindWords',
      'concessionKindWords',
      'concessionStatusWords',
      'travelModeWords',
      'eventWords',
    ])
      expect(own).not.toContain(name);
  });
});
