/**
 * A lot at the post: what was read or found, the observed weight (a decimal comma or point), and
 * "Registrar escaneo". A typed code says so plainly: the registry (or the device) knows such a
 * lot, and the officer must compare the label with the screen before trusting it.
 */
import { useState } from 'preact/hooks';
import { parseGrams } from '../../domain/shared/grams.js';
import { useLang, useT } from '../shared/i18n.js';
import { ambiguousGrouping, groupingReadings, typedDecimal } from '../shared/numbers.js';
import { Problem } from '../shared/ui.js';
import type { Opened } from './facts.js';
import { words } from './i18n.js';
import { LotSummary, SevereFlagsBanner, SubjectBanner } from './views.js';

export function LotForm(props: {
  opened: Extract<Opened, { kind: 'lot' }>;
  onCancel(): void;
  onRecord(observedG: string | undefined): Promise<string | undefined>;
}) {
  const t = useT(words);
  const lang = useLang();
  const [weight, setWeight] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const { opened } = props;
  const known = Boolean(opened.lot.grossWeightG || opened.lot.form || opened.lot.status);
  return (
    <form
      class="card"
      aria-labelledby="subject-title"
      onSubmit={async (e) => {
        e.preventDefault();
        // "1.250" is 1250 g to one officer and 1,25 g to another: refused, never guessed.
        if (ambiguousGrouping(weight)) {
          const mark = lang === 'es' ? ',' : '.';
          setProblem(t('amountAmbiguous', { text: weight.trim(), ...groupingReadings(weight, mark) }));
          return;
        }
        const typed = weight.trim() ? typedDecimal(weight) : undefined;
        const observed = typed ? (parseGrams(typed) ?? undefined) : undefined;
        if (weight.trim() && !observed) {
          setProblem(t('weightInvalid'));
          return;
        }
        setBusy(true);
        setProblem(await props.onRecord(observed).finally(() => setBusy(false)));
      }}
    >
      <SevereFlagsBanner kind="lot" flags={opened.lot.flags} />
      <SubjectBanner opened={opened} />
      {known && <LotSummary lot={opened.lot} />}
      <label for="observed-weight">{t('observedWeight')}</label>
      <input
        id="observed-weight"
        inputMode="decimal"
        autoComplete="off"
        value={weight}
        aria-describedby="observed-weight-help"
        onInput={(e) => setWeight((e.currentTarget as HTMLInputElement).value)}
      />
      <p class="hint" id="observed-weight-help">
        {t('observedWeightHelp')}
      </p>
      <Problem>{problem}</Problem>
      <div class="actions">
        <button type="submit" class="big" disabled={busy}>
          {busy ? t('recording') : t('recordScan')}
        </button>
        <button type="button" class="secondary" onClick={props.onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
