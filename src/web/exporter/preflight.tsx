/**
 * What a write would flag, told before it is made. Lot writes are append-only: once registered,
 * split or exported, a lot's history cannot be undone. The desk first sends the same write with
 * `?dryRun=true` — the server runs it, screens it with its own rules and rolls it back — and
 * shows the flags it would raise (and the open flags the lots already carry, which pass on to
 * what is made of them), in words, before the person confirms.
 */

import type { Flag, Lot } from '../shared/api-types.js';
import { evidenceLines, evidenceSentence } from '../shared/evidence.js';
import { useLang, useT } from '../shared/i18n.js';
import { SeverityBadge } from '../shared/ui.js';
import { ruleWords, wordFor } from '../shared/words.js';
import { dict } from './i18n.js';

type FlagSummary = Lot['flags'][number];

/** Flags a person should weigh before going on: those not yet reviewed away. */
export const unresolved = (flags: FlagSummary[]): FlagSummary[] =>
  flags.filter((f) => f.status === 'open' || f.status === 'escalated');

const order = { critical: 0, high: 1, medium: 2, low: 3 } as const;

/** Flags in words: severity badge, the rule's sentence, and its evidence worded. */
export function FlagList(props: { flags: (FlagSummary | Flag)[]; testId?: string }) {
  const lang = useLang();
  const t = useT(dict);
  const sorted = [...props.flags].sort((a, b) => order[a.severity] - order[b.severity]);
  return (
    <ul class="would-flag" data-testid={props.testId}>
      {sorted.map((f, i) => {
        const evidence = f.evidence as Record<string, unknown>;
        const sentence = evidenceSentence(f.rule, evidence, lang);
        const lines = sentence ? [] : evidenceLines(evidence, lang);
        return (
          <li key={`${f.id}-${i}`}>
            <SeverityBadge level={f.severity} /> <strong>{wordFor(ruleWords[lang], f.rule)}</strong>
            {f.inheritedFrom && <span class="hint"> ({t('inherited')})</span>}
            {sentence && <p>{sentence}</p>}
            {lines.length > 0 && (
              <ul class="evidence">
                {lines.map((l) => (
                  <li key={l.label}>
                    {l.label}: {l.value}
                  </li>
                ))}
              </ul>
            )}
          </li>
        );
      })}
    </ul>
  );
}
