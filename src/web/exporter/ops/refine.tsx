/** Refining a lot into a bar: fine gold in, fine gold out and the loss, as typed. */
import { useState } from 'preact/hooks';
import { compareGrams, fineWeight, subtractGrams } from '../../../domain/shared/grams.js';
import { answer } from '../../shared/api.js';
import { Field } from '../../shared/field.js';
import { useLang, useT } from '../../shared/i18n.js';
import { Problem } from '../../shared/ui.js';
import { formWords, wordFor } from '../../shared/words.js';
import { AmbiguousAmounts } from '../amount-warning.js';
import { typedFineness, typedGrams, useUnits } from '../amounts.js';
import { dict } from '../i18n.js';
import type { OpProps } from './result.js';
import { OpSteps } from './steps.js';

export function RefinePanel({ ctx, lot, done, cancel }: OpProps) {
  const t = useT(dict);
  const lang = useLang();
  const { g } = useUnits();
  const [gross, setGross] = useState('');
  const [fineness, setFineness] = useState('');
  const grossD = typedGrams(gross);
  const finenessD = typedFineness(fineness);
  const out = grossD && finenessD ? fineWeight(grossD, finenessD) : null;
  const createsGold = out !== null && compareGrams(out, lot.fineWeightG) > 0;
  const table = (
    <dl class="facts" data-testid="refine-arithmetic">
      <dt>{t('fineIn')}</dt>
      <dd>{g(lot.fineWeightG)}</dd>
      <dt>{t('fineOut')}</dt>
      <dd>{out ? g(out) : '—'}</dd>
      <dt>{t('loss')}</dt>
      <dd>{out ? g(subtractGrams(lot.fineWeightG, out)) : '—'}</dd>
      <dt>{t('newForm')}</dt>
      <dd>{wordFor(formWords[lang], 'bar')}</dd>
    </dl>
  );
  const ready = out !== null && !createsGold;
  return (
    <OpSteps
      title={t('refineTitle', { code: lot.code })}
      canReview={ready}
      confirmLabel={t('confirmRefine')}
      anywayLabel={t('refineAnyway')}
      permanent={t('permanentRefine')}
      cancel={cancel}
      write={
        ready && grossD && finenessD
          ? (query) =>
              answer(
                ctx.api.POST('/v1/lots/{id}/refine', {
                  params: { path: { id: lot.id }, query },
                  body: { grossWeightG: grossD, fineness: finenessD },
                }),
              )
          : null
      }
      fieldNames={{ grossWeightG: t('grossG'), fineness: t('finenessPermille') }}
      edit={
        <>
          <div class="pair">
            <Field id="rf-gross" label={t('grossG')} value={gross} set={setGross} />
            <Field id="rf-fineness" label={t('finenessPermille')} value={fineness} set={setFineness} />
          </div>
          <p class="hint">{t('decimalHint')}</p>
          <AmbiguousAmounts
            fields={[
              { label: t('grossG'), text: gross },
              { label: t('finenessPermille'), text: fineness },
            ]}
          />
          {table}
          <Problem>
            {createsGold && out ? t('refineCreatesGold', { out: g(out), fine: g(lot.fineWeightG) }) : null}
          </Problem>
        </>
      }
      review={table}
      done={(res) => {
        done({ title: t('refineDone', { code: lot.code, into: res.code }), lots: [res] });
      }}
    />
  );
}
