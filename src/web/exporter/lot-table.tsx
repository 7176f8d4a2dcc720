/** Lots as a table on a desk and as cards on a phone, with their risk and flags in words. */
import type { Lot } from '../shared/api-types.js';
import { useLang, useT } from '../shared/i18n.js';
import {
  flagStatusWords,
  formWords,
  lotStatusWords,
  ruleWords,
  severityWords,
  wordFor,
} from '../shared/words.js';
import { useUnits } from './amounts.js';
import { dict } from './i18n.js';
import { lotHref } from './routes.js';

export function RiskBadge({ level }: { level: Lot['riskLevel'] }) {
  const lang = useLang();
  const t = useT(dict);
  return <span class={`badge risk-${level}`}>{t('risk', { level: severityWords[lang][level] })}</span>;
}

/** A lot's flags in plain words (the rule code in the tooltip). */
export function FlagWords({ flags }: { flags: Lot['flags'] }) {
  const lang = useLang();
  const t = useT(dict);
  if (flags.length === 0) return <span class="hint">{t('noFlags')}</span>;
  return (
    <ul class="flags">
      {flags.map((f) => (
        <li key={f.id}>
          {wordFor(ruleWords[lang], f.rule)}{' '}
          <span class="hint">
            ({severityWords[lang][f.severity]}, {flagStatusWords[lang][f.status]}
            {f.inheritedFrom ? `, ${t('inherited')}` : ''})
          </span>
        </li>
      ))}
    </ul>
  );
}

/** A lot's code: a link to its page (a new tab opens it too) when this desk may read it. */
export function LotCode(props: { lot: Pick<Lot, 'id' | 'code'>; readable?: boolean }) {
  return props.readable === false ? (
    <span class="mono">{props.lot.code}</span>
  ) : (
    <a class="mono" href={lotHref(props.lot.id)}>
      {props.lot.code}
    </a>
  );
}

/** Lots as a table on a desk, as cards on a phone (CSS turns each row into a card). */
export function LotTable(props: {
  lots: Lot[];
  /** Whether this desk may open a lot (one handed over to someone else it may no longer read). */
  readable?(lot: Lot): boolean;
  selected?: Set<string>;
  toggle?(lot: Lot): void;
}) {
  const lang = useLang();
  const t = useT(dict);
  const { g, permille } = useUnits();
  return (
    <table class="lots">
      <caption class="visually-hidden">{t('lotsCaption')}</caption>
      <thead>
        <tr>
          {props.toggle && <th scope="col">{t('select')}</th>}
          <th scope="col">{t('code')}</th>
          <th scope="col">{t('form')}</th>
          <th scope="col" class="num">
            {t('gross')}
          </th>
          <th scope="col" class="num">
            {t('fineness')}
          </th>
          <th scope="col" class="num">
            {t('fine')}
          </th>
          <th scope="col">{t('status')}</th>
          <th scope="col">{t('flags')}</th>
        </tr>
      </thead>
      <tbody>
        {props.lots.map((l) => (
          <tr key={l.id}>
            {props.toggle && (
              <td data-label={t('select')}>
                {l.status === 'active' && (
                  <input
                    type="checkbox"
                    aria-label={t('selectLot', { code: l.code })}
                    checked={props.selected?.has(l.id) ?? false}
                    onChange={() => props.toggle?.(l)}
                  />
                )}
              </td>
            )}
            <td data-label={t('code')}>
              <LotCode lot={l} readable={props.readable?.(l) ?? true} />
            </td>
            <td data-label={t('form')}>{wordFor(formWords[lang], l.form)}</td>
            <td data-label={t('gross')} class="num">
              {g(l.grossWeightG)}
            </td>
            <td data-label={t('fineness')} class="num">
              {permille(l.fineness)}
            </td>
            <td data-label={t('fine')} class="num">
              {g(l.fineWeightG)}
            </td>
            <td data-label={t('status')}>{lotStatusWords[lang][l.status]}</td>
            <td data-label={t('flags')}>
              <div>
                <RiskBadge level={l.riskLevel} />
                <FlagWords flags={l.flags} />
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
