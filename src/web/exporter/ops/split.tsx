/** Splitting a lot into parts: each part's gross and fine gold, and what remains, as typed. */
import { useState } from 'preact/hooks';
import {
  compareGrams,
  equalParts,
  fineWeight,
  subtractGrams,
  sumGrams,
} from '../../../domain/shared/grams.js';
import { answer } from '../../shared/api.js';
import { Field } from '../../shared/field.js';
import { useT } from '../../shared/i18n.js';
import { Problem } from '../../shared/ui.js';
import { AmbiguousAmounts } from '../amount-warning.js';
import { typedGrams, useUnits } from '../amounts.js';
import { dict } from '../i18n.js';
import { ArithmeticTable } from './arithmetic.js';
import type { OpProps } from './result.js';
import { OpSteps } from './steps.js';

export function SplitPanel({ ctx, lot, done, cancel }: OpProps) {
  const t = useT(dict);
  const { g, permille } = useUnits();
  const [count, setCount] = useState('2');
  const [parts, setParts] = useState<string[]>(['', '']);
  const resize = (text: string) => {
    setCount(text);
    const n = Number.parseInt(text, 10);
    if (Number.isInteger(n) && n >= 2 && n <= 50) {
      setParts((p) => Array.from({ length: n }, (_, i) => p[i] ?? ''));
    }
  };
  const parsed = parts.map(typedGrams);
  const valid = parsed.every((p): p is string => p !== null);
  const grossParts = parsed.filter((p): p is string => p !== null);
  const sumGross = sumGrams(grossParts);
  const sumFine = sumGrams(grossParts.map((p) => fineWeight(p, lot.fineness)));
  const createsGold = compareGrams(sumGross, lot.grossWeightG) > 0;

  const table = (
    <ArithmeticTable
      caption={t('splitArithmetic')}
      testId="split-arithmetic"
      rowsHeading={t('part')}
      columns={[t('gross'), t('fine')]}
      rows={parsed.map((p, i) => ({
        key: String(i),
        head: t('partN', { n: i + 1 }),
        cells: p ? [g(p), g(fineWeight(p, lot.fineness))] : ['—', '—'],
      }))}
      totals={[
        { key: 'sum', head: t('partsTotal'), cells: [g(sumGross), g(sumFine)] },
        { key: 'lot', head: t('lotItself'), cells: [g(lot.grossWeightG), g(lot.fineWeightG)] },
        {
          key: 'rest',
          head: t('remainder'),
          cells: [g(subtractGrams(lot.grossWeightG, sumGross)), g(subtractGrams(lot.fineWeightG, sumFine))],
          over: createsGold,
        },
      ]}
    />
  );
  const ready = valid && !createsGold && parts.length >= 2;
  return (
    <OpSteps
      title={t('splitTitle', { code: lot.code })}
      canReview={ready}
      confirmLabel={t('confirmSplit')}
      anywayLabel={t('splitAnyway')}
      permanent={t('permanentSplit')}
      cancel={cancel}
      write={
        ready
          ? (query) =>
              answer(
                ctx.api.POST('/v1/lots/{id}/split', {
                  params: { path: { id: lot.id }, query },
                  body: { parts: grossParts.map((grossWeightG) => ({ grossWeightG })) },
                }),
              )
          : null
      }
      fieldNames={{ parts: t('partsCount') }}
      edit={
        <>
          <p class="hint">{t('splitHelp', { fineness: permille(lot.fineness) })}</p>
          <div class="pair">
            <div>
              <label for="s-count">{t('partsCount')}</label>
              <input
                id="s-count"
                type="number"
                min={2}
                max={50}
                value={count}
                onInput={(e) => resize((e.currentTarget as HTMLInputElement).value)}
              />
            </div>
            <div class="bottom">
              <button
                type="button"
                class="secondary"
                onClick={() => setParts(equalParts(lot.grossWeightG, parts.length))}
              >
                {t('equalParts')}
              </button>
            </div>
          </div>
          <div class="parts">
            {parts.map((p, i) => (
              <Field
                key={i}
                id={`s-part-${i + 1}`}
                label={t('partGross', { n: i + 1 })}
                value={p}
                set={(v) => setParts((ps) => ps.map((x, j) => (j === i ? v : x)))}
              />
            ))}
          </div>
          {table}
          <Problem>
            {createsGold ? t('splitCreatesGold', { sum: g(sumGross), gross: g(lot.grossWeightG) }) : null}
          </Problem>
          {!valid && parts.some((p) => p.trim() !== '') && <p class="hint">{t('decimalHint')}</p>}
          <AmbiguousAmounts
            fields={parts.map((text, i) => ({ label: t('partGross', { n: i + 1 }), text }))}
          />
        </>
      }
      review={table}
      done={(res) => {
        done({
          title: t('splitDone', { code: res.parent.code, n: res.children.length }),
          lots: res.children,
        });
      }}
    />
  );
}
