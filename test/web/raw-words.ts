/**
 * What a Spanish reader must never see: a raw enum value of the vocabulary (every dictionary of
 * domain/shared/words.ts, by its codes), an evidence key (otherName, movementsCounted…), a code
 * shaped like one (in_transit, overlapSimplified), or an English giveaway word. Read from the
 * visible text of a page and the names it gives to assistive technology (aria-label, title,
 * placeholder, alt); text marked lang="en" (the "English" switch) and code samples are left out.
 */
import type { Page } from 'playwright-core';
import { evidenceKeys } from '../../src/domain/shared/evidence-words.js';
import * as words from '../../src/domain/shared/words.js';

/** Codes that are also what Spanish readers write: currencies and units. */
const sharedWithSpanish = new Set(['PEN', 'USD', 'EUR', 'kg', 'L', 'g', 'provisional']);

/** Every code a words.ts dictionary words, and every evidence key. */
const rawCodes: ReadonlySet<string> = new Set(
  [
    ...Object.values(words).flatMap((d) =>
      typeof d === 'object' && d !== null && 'en' in d && 'es' in d
        ? Object.keys((d as { en: Record<string, string> }).en)
        : [],
    ),
    ...evidenceKeys,
  ].filter((c) => !sharedWithSpanish.has(c)),
);

/** English words no Spanish sentence of these apps contains. */
const englishGiveaways = [
  'the',
  'and',
  'with',
  'not',
  'of',
  'is',
  'are',
  'was',
  'to',
  'from',
  'by',
  'for',
  'at',
  'on',
  'in',
  'it',
  'this',
  'flag',
  'flags',
  'lot',
  'lots',
  'signature',
  'genuine',
  'verify',
  'required',
  'invalid',
  'failed',
  'loading',
  'permission',
  'denied',
  'status',
  'submit',
  'cancel',
  'search',
  'save',
  'unknown',
  'forbidden',
  'unauthorized',
  'request',
  'must',
  'should',
  'found',
  'expected',
  'received',
  'network',
  'unregistered',
  'monthly',
  'average',
  'per',
  'rate',
];

/** The page's visible texts and accessible names, trimmed, each once. */
async function shownTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const skip = (el: Element) =>
      el.closest('script,style,code,pre,[translate="no"]') !== null ||
      (el.closest('[lang]')?.getAttribute('lang') ?? 'es').startsWith('en');
    const out = new Set<string>();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      const el = node.parentElement;
      const text = node.nodeValue?.trim();
      if (!text || !el || skip(el)) continue;
      if (!el.checkVisibility({ visibilityProperty: true })) continue;
      out.add(text);
    }
    for (const el of document.querySelectorAll('[aria-label],[title],[placeholder],[alt]')) {
      if (skip(el)) continue;
      for (const a of ['aria-label', 'title', 'placeholder', 'alt']) {
        const v = el.getAttribute(a)?.trim();
        if (v) out.add(v);
      }
    }
    return [...out];
  });
}

// Lower case only: "CC BY 4.0" and "IN (India)" are a licence and a country code.
const giveaway = new RegExp(`(^|[^\\p{L}_])(${englishGiveaways.join('|')})(?=$|[^\\p{L}_])`, 'u');
/** snake_case or camelCase words: codes, not Spanish. */
const codeShaped = /(^|[^\p{L}\d_./-])([a-z]+_[a-z_]+|[a-z]+[A-Z][A-Za-z]*)(?=$|[^\p{L}\d_])/u;

/** Why a shown text would puzzle a Spanish reader, or null. */
export function rawWordIn(text: string): string | null {
  if (rawCodes.has(text)) return `raw code "${text}"`;
  const code = codeShaped.exec(text)?.[2];
  if (code) return `code-shaped "${code}" in "${text}"`;
  for (const token of text.split(/[^\p{L}\d_]+/u)) {
    // Inside a sentence: a lower-case code ("active"), a rule's code (OVER_QUOTA), or a code
    // shouted in capitals as a label prints it ("ACTIVE"); not capitalised words or short ones.
    const lower = rawCodes.has(token) && /^[a-z]/.test(token) && token.length > 2;
    const rule = rawCodes.has(token) && token.includes('_');
    const shouted = token.length > 3 && token === token.toUpperCase() && rawCodes.has(token.toLowerCase());
    if (lower || rule || shouted) return `raw code "${token}" in "${text}"`;
  }
  const word = giveaway.exec(text)?.[2];
  if (word) return `English "${word}" in "${text}"`;
  return null;
}

/** Every text on the page that would puzzle a Spanish reader, each with why. */
export async function rawWordsOn(page: Page): Promise<string[]> {
  return (await shownTexts(page)).map(rawWordIn).filter((x): x is string => x !== null);
}
