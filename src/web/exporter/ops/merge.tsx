/**
 * Merging lots picked in "my lots" (#/merge?lots=a,b): the total gross and fine weight and the
 * mixture's fineness before confirming; the screening's dry run says whether clean gold would
 * inherit the flags of tainted gold it is merged with.
 */
import { useState } from 'preact/hooks';
import { finenessOf, sumGrams } from '../../../domain/shared/grams.js';
import { lotForms } from '../../../domain/shared/vocabulary.js';
import { answer } from '../../shared/api.js';
import type { Lot, LotForm } from '../../shared/api-types.js';
import { useLang, useT } from '../../shared/i18n.js';
import { useLoad } from '../../shared/load.js';
import { navigate } from '../../shared/route.js';
import type { AppContext } from '../../shared/shell.js';
import { Problem } from '../../shared/ui.js';
import { formWords, wordFor } from '../../shared/words.js';
import { useUnits } from '../amounts.js';
import { dict } from '../i18n.js';
import { lotsHref } from '../routes.js';
import { ArithmeticTable } from './arithmetic.js';
import { OpResult } from './result.js';
import { OpSteps } from './steps.js';

export function MergeScreen(props: { ctx: AppContext; ids: string[]; changed(): void }) {
  const t = useT(dict);
  const key = props.ids.join(',');
  const lots = useLoad(
    () =>
      Promise.all(
        props.ids.map((id) => answer(props.ctx.api.GET('/v1/lots/{id}', { params: { path: { id } } }))),
      ),
    [props.ctx.api, key],
  );
  if (lots.error) return <Problem>{lots.error}</Problem>;
  if (!lots.data) return <p aria-busy="true">{t('loading')}</p>;
  return <MergePanel ctx={props.ctx} lots={lots.data} changed={props.changed} />;
}

function MergePanel(props: { ctx: AppContext; lots: Lot[]; changed(): void }) {
  const t = useT(dict);
  const lang = useLang();
  const { g, permille } = useUnits();
  const [form, setForm] = useState<LotForm | ''>('');
  const [result, setResult] = useState<Lot | null>(null);
  const gross = sumGrams(props.lots.map((l) => l.grossWeightG));
  const fine = sumGrams(props.lots.map((l) => l.fineWeightG));
  const table = (
    <ArithmeticTable
      caption={t('mergeArithmetic')}
      testId="merge-arithmetic"
      rowsHeading={t('lot')}
      columns={[t('gross'), t('fineness'), t('fine')]}
      rows={props.lots.map((l) => ({
        key: l.id,
        head: l.code,
        cells: [g(l.grossWeightG), permille(l.fineness), g(l.fineWeightG)],
      }))}
      totals={[
        {
          key: 'merged',
          head: t('mergedLot'),
          cells: [g(gross), permille(finenessOf(fine, gross)), g(fine)],
        },
      ]}
    />
  );
  if (result) {
    return (
      <section>
        <OpResult title={t('mergeDone', { code: result.code })} lots={[result]} me={result.custodianId} />
        <a class="button secondary" href={lotsHref()}>
          {t('backToLots')}
        </a>
      </section>
    );
  }
  return (
    <OpSteps
      level={2}
      title={t('mergeTitle', { n: props.lots.length })}
      canReview={props.lots.length >= 2}
      confirmLabel={t('confirmMerge')}
      anywayLabel={t('mergeAnyway')}
      permanent={t('permanentMerge')}
      cancel={() => navigate(lotsHref())}
      write={(query) =>
        answer(
          props.ctx.api.POST('/v1/lots/merge', {
            params: { query },
            body: { lotIds: props.lots.map((l) => l.id), ...(form ? { form } : {}) },
          }),
        )
      }
      fieldNames={{ lotIds: t('lot'), form: t('form') }}
      edit={
        <>
          {table}
          <label for="m-form">{t('form')}</label>
          <select
            id="m-form"
            value={form}
            onChange={(e) => setForm((e.currentTarget as HTMLSelectElement).value as LotForm | '')}
          >
            <option value="">{t('formAuto')}</option>
            {lotForms.map((f) => (
              <option key={f} value={f}>
                {wordFor(formWords[lang], f)}
              </option>
            ))}
          </select>
        </>
      }
      review={
        <>
          {table}
          <p>
            {t('form')}: {form ? wordFor(formWords[lang], form) : t('formAuto')}
          </p>
        </>
      }
      done={(merged) => {
        setResult(merged);
        props.changed();
      }}
    />
  );
}
