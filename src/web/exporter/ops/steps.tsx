/**
 * The three steps of every permanent write on the desk: the form (its arithmetic worked out as
 * the person types), then a review of exactly what will be sent together with what the server's
 * screening says of it (a dry run, preflight.tsx), then the write itself — confirmed in words
 * that say whether it will be flagged ("Dividir de todos modos") or only that it is permanent.
 * Cancelling the review writes nothing.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiProblem } from '../../shared/api.js';
import type { DryRunLots, Lot } from '../../shared/api-types.js';
import { useT } from '../../shared/i18n.js';
import { useDescribeProblem } from '../../shared/problems.js';
import { Problem } from '../../shared/ui.js';
import { dict } from '../i18n.js';
import { FlagList, unresolved } from '../preflight.js';

/**
 * The query of a write: `dryRun: 'true'` for the review; then `dryRun: 'false'` with
 * `expectFlags`, the flags the review showed, so that the server refuses the confirmation
 * (409 preview-outdated) if the write would now flag anything else.
 */
export interface WriteQuery {
  dryRun: 'true' | 'false';
  expectFlags?: string;
}

/**
 * The write a form would make, as a typed call of the API (its path, parameters and body checked
 * against the OpenAPI types), sent with `query` as its query. Its answer is the dry run's or the
 * write's, as the operation's responses say.
 */
export type Write<A> = (query: WriteQuery) => Promise<A>;

type FlagSummary = Lot['flags'][number];

/** A flag as the server compares it when the write is confirmed ("RULE:severity"). */
const flagKey = (f: Pick<FlagSummary, 'rule' | 'severity'>) => `${f.rule}:${f.severity}`;

/** The flags a person is shown before confirming a write: raised by it, and carried by its lots. */
function shownOf(answer: DryRunLots): { raised: FlagSummary[]; carried: FlagSummary[]; keys: string } {
  const raised = answer.flags;
  const raisedIds = new Set(raised.map((f) => f.id));
  const raisedKeys = new Set(raised.map(flagKey));
  // The open flags of the lots taken pass on; a split or merge already shows their copies as raised.
  const seen = new Set<string>();
  const carried = unresolved(answer.lots.flatMap((l) => l.flags)).filter((f) => {
    if (raisedIds.has(f.id) || raisedKeys.has(flagKey(f)) || seen.has(f.id)) return false;
    seen.add(f.id);
    return true;
  });
  const keys = [...new Set([...raised, ...unresolved(answer.lots.flatMap((l) => l.flags))].map(flagKey))];
  return { raised, carried, keys: keys.join(',') };
}

const isOutdated = (err: unknown) =>
  err instanceof ApiProblem && err.problem.type === '/problems/preview-outdated';

const isDryRun = <A,>(answer: A): answer is Extract<A, DryRunLots> =>
  typeof answer === 'object' && answer !== null && 'dryRun' in answer && answer.dryRun === true;

type Check =
  | { state: 'checking' }
  | { state: 'refused'; error: unknown }
  | { state: 'done'; raised: FlagSummary[]; carried: FlagSummary[]; keys: string };

export function OpSteps<A>(props: {
  title: string;
  /** Whether the form is complete enough to review (the review button is disabled until then). */
  canReview: boolean;
  /** Called on "Revisar": false keeps the form (it shows its own problems). */
  check?(): boolean;
  edit: ComponentChildren;
  review: ComponentChildren;
  write: Write<A> | null;
  /** The confirm button when nothing would be flagged ("Confirmar división")… */
  confirmLabel: string;
  /** …and when something would ("Dividir de todos modos"). */
  anywayLabel: string;
  /** What becomes permanent, said before confirming. */
  permanent: string;
  /** The form's names of the body's fields, for the server's problems. */
  fieldNames?: Record<string, string>;
  done(answer: Exclude<A, DryRunLots>): Promise<void> | void;
  cancel(): void;
  /** The heading level of the panel (3 inside a lot, 2 as a screen of its own). */
  level?: 2 | 3;
}) {
  const t = useT(dict);
  const describe = useDescribeProblem();
  const [step, setStep] = useState<'edit' | 'review'>('edit');
  const [check, setCheck] = useState<Check>({ state: 'checking' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // On a phone the panel opens below the fold: it is brought into view, and the keyboard's
  // focus moves to it (and again to the review when it replaces the form).
  useEffect(() => {
    heading.current?.scrollIntoView({ block: 'start' });
    heading.current?.focus({ preventScroll: true });
  }, [step]);

  const preview = (write: Write<A>) => {
    setCheck({ state: 'checking' });
    write({ dryRun: 'true' }).then(
      (answer) =>
        isDryRun(answer)
          ? setCheck({ state: 'done', ...shownOf(answer) })
          : setCheck({ state: 'refused', error: new Error('the dry run was answered with a write') }),
      (err: unknown) => setCheck({ state: 'refused', error: err }),
    );
  };
  const review = () => {
    if (!props.canReview || !props.write || (props.check && !props.check())) return;
    setStep('review');
    setError(null);
    preview(props.write);
  };
  const send = async () => {
    if (!props.write || check.state !== 'done') return;
    const write = props.write;
    setBusy(true);
    setError(null);
    try {
      const answer = await write({ dryRun: 'false', expectFlags: check.keys });
      // A write is never answered as a dry run: what is left is the write's own answer (the
      // compiler does not narrow a generic by a guard, hence the cast).
      if (isDryRun(answer)) throw new Error('the write was answered as a dry run');
      await props.done(answer as Exclude<A, DryRunLots>);
    } catch (err) {
      setError(err);
      // The world changed since the review: nothing was written; the review is made again, so
      // that what the person now confirms is what it now says.
      if (isOutdated(err)) preview(write);
    } finally {
      setBusy(false);
    }
  };
  // The body's fields by the form's names; a nested one ("parts.1.grossWeightG") by its first part.
  const namesFor = (err: unknown): Record<string, string> => {
    const names = props.fieldNames ?? {};
    const out: Record<string, string> = {};
    if (err instanceof ApiProblem) {
      for (const e of err.problem.errors ?? []) {
        const name = names[e.field] ?? names[e.field.split('.')[0] ?? ''];
        if (name) out[e.field] = name;
      }
    }
    return out;
  };
  const raised = check.state === 'done' ? check.raised : [];
  const carried = check.state === 'done' ? check.carried : [];
  const flagged = raised.length + carried.length > 0;
  const Heading = props.level === 2 ? 'h2' : 'h3';

  return (
    <section class="card op" aria-label={props.title}>
      <Heading ref={heading} tabIndex={-1}>
        {props.title}
      </Heading>
      {step === 'edit' ? (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            review();
          }}
        >
          {props.edit}
          <div class="actions">
            <button type="submit" disabled={!props.canReview}>
              {t('review')}
            </button>
            <button type="button" class="secondary" onClick={props.cancel}>
              {t('cancel')}
            </button>
          </div>
        </form>
      ) : (
        <div>
          <p class="hint">{t('reviewHelp')}</p>
          {props.review}
          <div class="preflight" aria-live="polite" data-testid="preflight">
            {check.state === 'checking' && <p aria-busy="true">{t('checking')}</p>}
            {check.state === 'refused' && <Problem>{describe(check.error, namesFor(check.error))}</Problem>}
            {check.state === 'done' && flagged && (
              <div class="warning" role="alert">
                <p>
                  <strong>{t('wouldFlagTitle')}</strong>
                </p>
                {raised.length > 0 && (
                  <>
                    <p>{t('wouldFlag')}</p>
                    <FlagList flags={raised} testId="would-flag" />
                  </>
                )}
                {carried.length > 0 && (
                  <>
                    <p>{t('carriesFlags')}</p>
                    <FlagList flags={carried} testId="carried-flags" />
                  </>
                )}
                <p>{props.permanent}</p>
              </div>
            )}
            {check.state === 'done' && !flagged && (
              <div class="notice">
                <p>{t('nothingToFlag')}</p>
                <p>{props.permanent}</p>
              </div>
            )}
          </div>
          <Problem>{error ? describe(error, namesFor(error)) : null}</Problem>
          <div class="actions">
            {check.state === 'done' && (
              <button type="button" disabled={busy} onClick={() => void send()}>
                {busy ? t('sending') : flagged ? props.anywayLabel : props.confirmLabel}
              </button>
            )}
            <button type="button" class="secondary" disabled={busy} onClick={() => setStep('edit')}>
              {check.state === 'refused' ? t('back') : t('cancel')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
