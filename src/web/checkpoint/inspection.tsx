/**
 * Inspecting a consignment of mercury or fuel: the observed quantity (a decimal comma or point),
 * the outcome and notes. A consignment under unresolved flags has no outcome chosen for the
 * officer: its flags are shown in words and "Conforme" must be a decision, not a default.
 */
import { useState } from 'preact/hooks';
import { isUnresolved } from '../../domain/screening/flag-status.js';
import { parseDecimal } from '../../domain/shared/grams.js';
import { type InspectionOutcome, inspectionOutcomes } from '../../domain/shared/vocabulary.js';
import { useLang, useT } from '../shared/i18n.js';
import { ambiguousGrouping, groupingReadings, typedDecimal } from '../shared/numbers.js';
import { Problem } from '../shared/ui.js';
import type { MovementFacts, Opened } from './facts.js';
import { words } from './i18n.js';
import {
  FlagList,
  MovementSummary,
  outcomeKey,
  SevereFlagsBanner,
  SubjectBanner,
  unitWords,
} from './views.js';

const withoutFlags = ({ flags: _, ...rest }: MovementFacts): MovementFacts => rest;

export interface InspectionInput {
  observedQuantity: string;
  outcome: InspectionOutcome;
  notes: string;
}

export function InspectionForm(props: {
  opened: Extract<Opened, { kind: 'movement' }>;
  onCancel(): void;
  onRecord(input: InspectionInput): Promise<string | undefined>;
}) {
  const t = useT(words);
  const lang = useLang();
  const { movement } = props.opened;
  const openFlags = (movement.flags ?? []).filter((f) => isUnresolved(f.status));
  const flagged = openFlags.length > 0;
  const [quantity, setQuantity] = useState('');
  // A clean consignment starts at "Conforme"; a flagged one at nothing.
  const [outcome, setOutcome] = useState<InspectionOutcome | undefined>(flagged ? undefined : 'passed');
  const [notes, setNotes] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const unit = movement.unit ? unitWords[lang][movement.unit] : t('unitUnknown');
  return (
    <form
      class="card"
      aria-labelledby="subject-title"
      onSubmit={async (e) => {
        e.preventDefault();
        // "1.250" is 1250 L to one officer and 1,25 L to another: refused, never guessed.
        if (ambiguousGrouping(quantity)) {
          const mark = lang === 'es' ? ',' : '.';
          setProblem(t('amountAmbiguous', { text: quantity.trim(), ...groupingReadings(quantity, mark) }));
          return;
        }
        const typed = typedDecimal(quantity);
        const observed = typed ? parseDecimal(typed) : null;
        if (!observed) {
          setProblem(t('quantityRequired'));
          return;
        }
        if (!outcome) {
          setProblem(t('outcomeRequired'));
          return;
        }
        setBusy(true);
        setProblem(
          await props
            .onRecord({ observedQuantity: observed, outcome, notes: notes.trim() })
            .finally(() => setBusy(false)),
        );
      }}
    >
      <SevereFlagsBanner kind="movement" flags={movement.flags} />
      <SubjectBanner opened={props.opened} />
      {/* Open flags are shown once, in the box that asks for a decision. */}
      <MovementSummary movement={flagged ? withoutFlags(movement) : movement} />
      {flagged && (
        <div class="flagged" role="note" data-testid="open-flags">
          <p>
            <strong>{t('flaggedInspection', { count: openFlags.length })}</strong>
          </p>
          <FlagList flags={openFlags} />
        </div>
      )}
      <h2>{t('inspection')}</h2>
      <label for="observed-quantity">{t('observedQuantity', { unit })}</label>
      <input
        id="observed-quantity"
        inputMode="decimal"
        autoComplete="off"
        required
        aria-describedby="observed-quantity-help"
        value={quantity}
        onInput={(e) => setQuantity((e.currentTarget as HTMLInputElement).value)}
      />
      <p class="hint" id="observed-quantity-help">
        {t('decimalHelp')}
      </p>
      <fieldset>
        <legend>{t('outcome')}</legend>
        {flagged && <p class="hint">{t('outcomeChoose')}</p>}
        {inspectionOutcomes.map((o) => (
          <label key={o} class="choice">
            <input
              type="radio"
              name="outcome"
              value={o}
              checked={outcome === o}
              onChange={() => setOutcome(o)}
            />{' '}
            {t(outcomeKey[o])}
          </label>
        ))}
      </fieldset>
      <label for="notes">{t('notes')}</label>
      <textarea
        id="notes"
        rows={3}
        value={notes}
        onInput={(e) => setNotes((e.currentTarget as HTMLTextAreaElement).value)}
      />
      <Problem>{problem}</Problem>
      <div class="actions">
        <button type="submit" class="big" disabled={busy}>
          {busy ? t('recording') : t('recordInspection')}
        </button>
        <button type="button" class="secondary" onClick={props.onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
