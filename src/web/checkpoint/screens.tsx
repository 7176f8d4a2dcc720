/**
 * Which screen an address names (#/scan, #/code, #/lots/<code>[/verdict], #/movements/<code>[/verdict],
 * #/refused, #/unchecked, #/queue), and the screens that are only a card and a button.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useT } from '../shared/i18n.js';
import type { Route } from '../shared/route.js';
import { Problem } from '../shared/ui.js';
import type { Opened } from './facts.js';
import { words } from './i18n.js';
import { InspectionForm, type InspectionInput } from './inspection.js';
import { LotForm } from './lot-form.js';
import type { Decided } from './record.js';
import { ScanScreen, TypedScreen } from './scan.js';
import {
  LotSummary,
  MovementSummary,
  type Refusal,
  RefusedCard,
  UncheckedCard,
  VerdictCard,
} from './views.js';

/** The screen the address names; what it needs but the device no longer holds is fetched again. */
export function Screen(props: {
  route: Route;
  opened: Opened | undefined;
  decided: (Decided & { path: string[] }) | undefined;
  refusal: Refusal | undefined;
  enter(text: string, from: 'camera' | 'keyboard'): Promise<string | undefined>;
  reopen(code: string): Promise<string | undefined>;
  recordScan(o: Extract<Opened, { kind: 'lot' }>, observedG: string | undefined): Promise<string | undefined>;
  recordInspection(
    o: Extract<Opened, { kind: 'movement' }>,
    input: InspectionInput,
  ): Promise<string | undefined>;
  onNext(): void;
  queue: JSX.Element;
}) {
  const { route, opened, decided, refusal, onNext, queue } = props;
  const [first = 'scan', code, step] = route.path;
  if (first === 'queue') return queue;
  if (first === 'code')
    return (
      <>
        <TypedScreen onEnter={(text) => props.enter(text, 'keyboard')} />
        {queue}
      </>
    );
  if ((first === 'lots' || first === 'movements') && code) {
    const kind = first === 'lots' ? 'lot' : 'movement';
    if (step === 'verdict' && decided && decided.path.join('/') === route.path.join('/'))
      return (
        <>
          <VerdictCard view={decided.view} />
          {decided.lot && <LotSummary lot={decided.lot} />}
          {decided.movement && <MovementSummary movement={decided.movement} />}
          <NextButton onNext={onNext} />
          {queue}
        </>
      );
    if (!opened || opened.kind !== kind || opened.subject.code !== code)
      return <Reopen key={code} code={code} reopen={props.reopen} />;
    return (
      <>
        {opened.kind === 'lot' ? (
          <LotForm opened={opened} onCancel={onNext} onRecord={(g) => props.recordScan(opened, g)} />
        ) : (
          <InspectionForm
            opened={opened}
            onCancel={onNext}
            onRecord={(input) => props.recordInspection(opened, input)}
          />
        )}
        {queue}
      </>
    );
  }
  if ((first === 'refused' || first === 'unchecked') && refusal)
    return (
      <>
        {refusal.kind === 'unchecked' ? (
          <UncheckedCard code={refusal.code} />
        ) : (
          <RefusedCard refusal={refusal} />
        )}
        <NextButton onNext={onNext} />
        {queue}
      </>
    );
  return (
    <>
      <ScanScreen onEnter={props.enter} />
      {queue}
    </>
  );
}

/** A subject's address opened anew (a link, a reload, Back): its code looked up as a typed one. */
function Reopen(props: { code: string; reopen(code: string): Promise<string | undefined> }) {
  const t = useT(words);
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    void props.reopen(props.code).then(setProblem);
  }, [props.code]);
  return (
    <section class="card" aria-busy={!problem}>
      <p>{t('lookingUp', { code: props.code })}</p>
      <Problem>{problem}</Problem>
    </section>
  );
}

function NextButton(props: { onNext(): void }) {
  const t = useT(words);
  return (
    <div class="actions">
      <button type="button" class="big" onClick={props.onNext}>
        {t('next')}
      </button>
    </div>
  );
}
