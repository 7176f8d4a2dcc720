/**
 * Why a typed amount was refused when its grouping is ambiguous: "1.250" is 1250 to one reader
 * and 1.25 to another, so the desk names both readings and how to write the one meant, rather
 * than guessing (amounts.ts).
 */
import { useLang, useT } from '../shared/i18n.js';
import { ambiguousGrouping, groupingReadings } from '../shared/numbers.js';
import { Problem } from '../shared/ui.js';
import { dict } from './i18n.js';

/** A warning for each of `texts` whose grouping is ambiguous, naming the field. */
export function AmbiguousAmounts(props: { fields: { label: string; text: string }[] }) {
  const t = useT(dict);
  const mark = useLang() === 'es' ? ',' : '.';
  const bad = props.fields.filter((f) => ambiguousGrouping(f.text));
  return (
    <Problem>
      {bad.length > 0
        ? bad
            .map((f) =>
              t('ambiguousAmount', {
                field: f.label,
                text: f.text.trim(),
                ...groupingReadings(f.text, mark),
              }),
            )
            .join(' ')
        : null}
    </Problem>
  );
}
