/**
 * The operations on lots in my custody, each in two steps: the form with its mass arithmetic
 * worked out as the person types, then a review of exactly what will be sent, then the answer
 * (the resulting lots and any flags the server raised on them).
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  compareGrams,
  equalParts,
  finenessOf,
  fineWeight,
  parseFineness,
  parseGrams,
  showGrams,
  subtractGrams,
  sumGrams,
} from '../../domain/shared/grams.js';
import { lotForms } from '../../domain/shared/vocabulary.js';
import { describeError } from '../shared/api.js';
import type { Lot, LotForm } from '../shared/api-types.js';
import { useLang, useT } from '../shared/i18n.js';
import type { AppContext } from '../shared/shell.js';
import { Problem } from '../shared/ui.js';
import { formWords, wordFor } from '../shared/words.js';
import { dict } from './i18n.js';
import { LotTable, ScrollArea } from './lots.js';
import type { View } from './view.js';

const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const g = (d: string) => `${showGrams(d)} g`;

/** The lots an operation produced, and the flags they carry. */
export function OpResult(props: { title: string; lots: Lot[]; me: string; open(id: string): void }) {
  const t = useT(dict);
  const flagged = props.lots.some((l) => l.flags.length > 0);
  return (
    <div class="notice" role="status">
      <h3>{props.title}</h3>
      {flagged && <p class="warning">{t('resultFlagged')}</p>}
      <ScrollArea label={props.title}>
        <LotTable
          lots={props.lots}
          open={props.open}
          readable={(l) => l.custodianId === props.me || l.producerId === props.me}
        />
      </ScrollArea>
    </div>
  );
}

/** A form step and a review step around one call; the caller supplies both bodies. */
function TwoStep(props: {
  title: string;
  step: 'edit' | 'review';
  setStep(s: 'edit' | 'review'): void;
  canReview: boolean;
  confirmLabel: string;
  edit: ComponentChildren;
  review: ComponentChildren;
  send(): Promise<void>;
  cancel(): void;
}) {
  const t = useT(dict);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // On a phone the panel opens below the fold: it is brought into view, and the keyboard's
  // focus moves to it (and again to the review when it replaces the form).
  useEffect(() => {
    heading.current?.scrollIntoView({ block: 'start' });
    heading.current?.focus({ preventScroll: true });
  }, [props.step]);
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.send();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card op" aria-label={props.title}>
      <h3 ref={heading} tabIndex={-1}>
        {props.title}
      </h3>
      {props.step === 'edit' ? (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (props.canReview) props.setStep('review');
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
          <Problem>{error}</Problem>
          <div class="actions">
            <button type="button" disabled={busy} onClick={() => void send()}>
              {busy ? t('sending') : props.confirmLabel}
            </button>
            <button type="button" class="secondary" disabled={busy} onClick={() => props.setStep('edit')}>
              {t('back')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

function Field(props: {
  id: string;
  label: string;
  value: string;
  set(v: string): void;
  hint?: string;
  type?: string;
}) {
  return (
    <div>
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type={props.type ?? 'text'}
        inputMode={props.type ? undefined : 'decimal'}
        autoComplete="off"
        value={props.value}
        onInput={(e) => props.set((e.currentTarget as HTMLInputElement).value)}
      />
      {props.hint && <p class="hint">{props.hint}</p>}
    </div>
  );
}

interface OpProps {
  ctx: AppContext;
  lot: Lot;
  done(result: { title: string; lots: Lot[] }): void;
  cancel(): void;
}

export function SplitPanel({ ctx, lot, done, cancel }: OpProps) {
  const t = useT(dict);
  const [step, setStep] = useState<'edit' | 'review'>('edit');
  const [count, setCount] = useState('2');
  const [parts, setParts] = useState<string[]>(['', '']);
  const resize = (text: string) => {
    setCount(text);
    const n = Number.parseInt(text, 10);
    if (Number.isInteger(n) && n >= 2 && n <= 50) {
      setParts((p) => Array.from({ length: n }, (_, i) => p[i] ?? ''));
    }
  };
  const parsed = parts.map(parseGrams);
  const valid = parsed.every((p): p is string => p !== null);
  const grossParts = parsed.filter((p): p is string => p !== null);
  const fines = grossParts.map((p) => fineWeight(p, lot.fineness));
  const sumGross = sumGrams(grossParts);
  const sumFine = sumGrams(fines);
  const createsGold = compareGrams(sumGross, lot.grossWeightG) > 0;

  const table = (
    <ScrollArea label={t('splitArithmetic')}>
      <table class="arith" data-testid="split-arithmetic">
        <caption>{t('splitArithmetic')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('part')}</th>
            <th scope="col" class="num">
              {t('gross')}
            </th>
            <th scope="col" class="num">
              {t('fine')}
            </th>
          </tr>
        </thead>
        <tbody>
          {parsed.map((p, i) => (
            <tr key={i}>
              <th scope="row">{t('partN', { n: i + 1 })}</th>
              <td class="num">{p ? g(p) : '—'}</td>
              <td class="num">{p ? g(fineWeight(p, lot.fineness)) : '—'}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('partsTotal')}</th>
            <td class="num">{g(sumGross)}</td>
            <td class="num">{g(sumFine)}</td>
          </tr>
          <tr>
            <th scope="row">{t('lotItself')}</th>
            <td class="num">{g(lot.grossWeightG)}</td>
            <td class="num">{g(lot.fineWeightG)}</td>
          </tr>
          <tr class={createsGold ? 'over' : ''}>
            <th scope="row">{t('remainder')}</th>
            <td class="num">{g(subtractGrams(lot.grossWeightG, sumGross))}</td>
            <td class="num">{g(subtractGrams(lot.fineWeightG, sumFine))}</td>
          </tr>
        </tfoot>
      </table>
    </ScrollArea>
  );
  return (
    <TwoStep
      title={t('splitTitle', { code: lot.code })}
      step={step}
      setStep={setStep}
      canReview={valid && !createsGold && parts.length >= 2}
      confirmLabel={t('confirmSplit')}
      cancel={cancel}
      edit={
        <>
          <p class="hint">{t('splitHelp', { fineness: lot.fineness })}</p>
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
        </>
      }
      review={table}
      send={async () => {
        const res = await ctx.api.post<{ parent: Lot; children: Lot[] }>(`/v1/lots/${lot.id}/split`, {
          parts: grossParts.map((grossWeightG) => ({ grossWeightG })),
        });
        done({
          title: t('splitDone', { code: res.parent.code, n: res.children.length }),
          lots: res.children,
        });
      }}
    />
  );
}

export function RefinePanel({ ctx, lot, done, cancel }: OpProps) {
  const t = useT(dict);
  const lang = useLang();
  const [step, setStep] = useState<'edit' | 'review'>('edit');
  const [gross, setGross] = useState('');
  const [fineness, setFineness] = useState('');
  const grossD = parseGrams(gross);
  const finenessD = parseFineness(fineness);
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
  return (
    <TwoStep
      title={t('refineTitle', { code: lot.code })}
      step={step}
      setStep={setStep}
      canReview={out !== null && !createsGold}
      confirmLabel={t('confirmRefine')}
      cancel={cancel}
      edit={
        <>
          <div class="pair">
            <Field id="rf-gross" label={t('grossG')} value={gross} set={setGross} />
            <Field id="rf-fineness" label={t('finenessPermille')} value={fineness} set={setFineness} />
          </div>
          {table}
          <Problem>
            {createsGold && out ? t('refineCreatesGold', { out: g(out), fine: g(lot.fineWeightG) }) : null}
          </Problem>
        </>
      }
      review={table}
      send={async () => {
        const res = await ctx.api.post<Lot>(`/v1/lots/${lot.id}/refine`, {
          grossWeightG: grossD,
          fineness: finenessD,
        });
        done({ title: t('refineDone', { code: lot.code, into: res.code }), lots: [res] });
      }}
    />
  );
}

interface Contact {
  id: string;
  name: string;
}
const contactsKey = 'orotrace.exporter.contacts';
function loadContacts(): Contact[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(contactsKey) ?? '[]');
    return Array.isArray(v)
      ? (v as Contact[]).filter((c) => typeof c?.id === 'string' && typeof c.name === 'string')
      : [];
  } catch {
    return [];
  }
}

/**
 * Handing a lot over. Exporter tokens may not list actors (the directory is the regulators'), so
 * the recipient is picked from the desk's own address book, searched by name or id, or its actor
 * id typed in (and kept under a name for next time).
 */
export function TransferPanel({ ctx, lot, done, cancel }: OpProps) {
  const t = useT(dict);
  const [step, setStep] = useState<'edit' | 'review'>('edit');
  const [contacts, setContacts] = useState<Contact[]>(loadContacts);
  const [search, setSearch] = useState('');
  const [to, setTo] = useState('');
  const [name, setName] = useState('');
  const toId = to.trim();
  const known = contacts.find((c) => c.id === toId);
  const needle = search.trim().toLowerCase();
  const matches = contacts.filter(
    (c) => !needle || c.name.toLowerCase().includes(needle) || c.id.includes(needle),
  );
  const remember = () => {
    if (!uuidRe.test(toId) || !name.trim()) return;
    const next = [...contacts.filter((c) => c.id !== toId), { id: toId, name: name.trim() }];
    localStorage.setItem(contactsKey, JSON.stringify(next));
    setContacts(next);
    setName('');
  };
  return (
    <TwoStep
      title={t('transferTitle', { code: lot.code })}
      step={step}
      setStep={setStep}
      canReview={uuidRe.test(toId) && toId !== lot.custodianId}
      confirmLabel={t('confirmTransfer')}
      cancel={cancel}
      edit={
        <>
          {contacts.length > 0 && (
            <>
              <Field id="t-search" label={t('searchContacts')} value={search} set={setSearch} type="search" />
              <ul class="contacts">
                {matches.map((c) => (
                  <li key={c.id}>
                    <button
                      type="button"
                      class={c.id === toId ? '' : 'secondary'}
                      aria-pressed={c.id === toId}
                      onClick={() => setTo(c.id)}
                    >
                      {c.name} <span class="hint mono">{c.id.slice(0, 8)}…</span>
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
          <Field
            id="t-to"
            label={t('recipientId')}
            value={to}
            set={setTo}
            hint={t('recipientHelp')}
            type="text"
          />
          {uuidRe.test(toId) && !known && (
            <div class="pair">
              <Field id="t-name" label={t('contactName')} value={name} set={setName} type="text" />
              <div class="bottom">
                <button type="button" class="secondary" disabled={!name.trim()} onClick={remember}>
                  {t('saveContact')}
                </button>
              </div>
            </div>
          )}
        </>
      }
      review={
        <p>
          {t('transferReview', {
            code: lot.code,
            fine: g(lot.fineWeightG),
            to: known ? `${known.name} (${toId})` : toId,
          })}
        </p>
      }
      send={async () => {
        const res = await ctx.api.post<Lot>(`/v1/lots/${lot.id}/transfers`, { toActorId: toId });
        done({ title: t('transferDone', { code: res.code }), lots: [res] });
      }}
    />
  );
}

const countries = ['CH', 'AE', 'IN', 'US', 'CA', 'GB', 'IT', 'BE', 'DE', 'HK', 'CN'];

export function ExportPanel({ ctx, lot, done, cancel }: OpProps) {
  const t = useT(dict);
  const [step, setStep] = useState<'edit' | 'review'>('edit');
  const [declaration, setDeclaration] = useState('');
  const [country, setCountry] = useState('');
  const [date, setDate] = useState(new Date().toISOString().slice(0, 10));
  const cc = country.trim().toUpperCase();
  const ok = declaration.trim().length > 0 && /^[A-Z]{2}$/.test(cc) && /^\d{4}-\d{2}-\d{2}$/.test(date);
  return (
    <TwoStep
      title={t('exportTitle', { code: lot.code })}
      step={step}
      setStep={setStep}
      canReview={ok}
      confirmLabel={t('confirmExport')}
      cancel={cancel}
      edit={
        <>
          <Field
            id="x-dec"
            label={t('customsDeclaration')}
            value={declaration}
            set={setDeclaration}
            type="text"
          />
          <div>
            <label for="x-country">{t('destinationCountry')}</label>
            <input
              id="x-country"
              list="x-countries"
              maxLength={2}
              autoComplete="off"
              value={country}
              onInput={(e) => setCountry((e.currentTarget as HTMLInputElement).value)}
            />
            <datalist id="x-countries">
              {countries.map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
            <p class="hint">{t('countryHelp')}</p>
          </div>
          <Field id="x-date" label={t('exportedOn')} value={date} set={setDate} type="date" />
        </>
      }
      review={
        <dl class="facts">
          <dt>{t('lot')}</dt>
          <dd>
            {lot.code} · {g(lot.grossWeightG)} · {t('fine')} {g(lot.fineWeightG)}
          </dd>
          <dt>{t('customsDeclaration')}</dt>
          <dd>{declaration.trim()}</dd>
          <dt>{t('destinationCountry')}</dt>
          <dd>{cc}</dd>
          <dt>{t('exportedOn')}</dt>
          <dd>{date}</dd>
        </dl>
      }
      send={async () => {
        const res = await ctx.api.post<Lot>(`/v1/lots/${lot.id}/export`, {
          customsDeclaration: declaration.trim(),
          destinationCountry: cc,
          exportedOn: date,
        });
        done({ title: t('exportDone', { code: res.code }), lots: [res] });
      }}
    />
  );
}

export function MergePanel(props: { ctx: AppContext; lots: Lot[]; go(v: View): void; changed(): void }) {
  const t = useT(dict);
  const lang = useLang();
  const [step, setStep] = useState<'edit' | 'review'>('edit');
  const [form, setForm] = useState<LotForm | ''>('');
  const [result, setResult] = useState<Lot | null>(null);
  const gross = sumGrams(props.lots.map((l) => l.grossWeightG));
  const fine = sumGrams(props.lots.map((l) => l.fineWeightG));
  const table = (
    <ScrollArea label={t('mergeArithmetic')}>
      <table class="arith" data-testid="merge-arithmetic">
        <caption>{t('mergeArithmetic')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('lot')}</th>
            <th scope="col" class="num">
              {t('gross')}
            </th>
            <th scope="col" class="num">
              {t('fineness')}
            </th>
            <th scope="col" class="num">
              {t('fine')}
            </th>
          </tr>
        </thead>
        <tbody>
          {props.lots.map((l) => (
            <tr key={l.id}>
              <th scope="row">{l.code}</th>
              <td class="num">{g(l.grossWeightG)}</td>
              <td class="num">{l.fineness} ‰</td>
              <td class="num">{g(l.fineWeightG)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('mergedLot')}</th>
            <td class="num">{g(gross)}</td>
            <td class="num">{finenessOf(fine, gross)} ‰</td>
            <td class="num">{g(fine)}</td>
          </tr>
        </tfoot>
      </table>
    </ScrollArea>
  );
  if (result) {
    return (
      <section>
        <OpResult
          title={t('mergeDone', { code: result.code })}
          lots={[result]}
          me={result.custodianId}
          open={(id) => props.go({ kind: 'lot', id })}
        />
        <button type="button" class="secondary" onClick={() => props.go({ kind: 'lots' })}>
          {t('backToLots')}
        </button>
      </section>
    );
  }
  return (
    <TwoStep
      title={t('mergeTitle', { n: props.lots.length })}
      step={step}
      setStep={setStep}
      canReview={props.lots.length >= 2}
      confirmLabel={t('confirmMerge')}
      cancel={() => props.go({ kind: 'lots' })}
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
      send={async () => {
        const res = await props.ctx.api.post<Lot>('/v1/lots/merge', {
          lotIds: props.lots.map((l) => l.id),
          ...(form ? { form } : {}),
        });
        setResult(res);
        props.changed();
      }}
    />
  );
}
