/** My lots: the lots in my custody, filtered, a page at a time, as a table or (narrow) as cards. */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { showGrams } from '../../domain/shared/grams.js';
import { lotStatuses } from '../../domain/shared/vocabulary.js';
import { describeError } from '../shared/api.js';
import type { Lot, LotStatus, Page } from '../shared/api-types.js';
import { useLang, useT } from '../shared/i18n.js';
import type { AppContext } from '../shared/shell.js';
import {
  flagStatusWords,
  formWords,
  lotStatusWords,
  ruleWords,
  severityWords,
  wordFor,
} from '../shared/words.js';
import { dict } from './i18n.js';
import type { View } from './view.js';

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
        <li key={f.id} title={f.rule}>
          {ruleWords[lang][f.rule] ?? f.rule}{' '}
          <span class="hint">
            ({severityWords[lang][f.severity]}, {flagStatusWords[lang][f.status]}
            {f.inheritedFrom ? `, ${t('inherited')}` : ''})
          </span>
        </li>
      ))}
    </ul>
  );
}

/**
 * A table that may scroll sideways on a narrow screen: a named region that takes the keyboard
 * focus, so that its hidden columns can be reached with the arrow keys.
 */
export function ScrollArea(props: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be focusable to be scrolled by keyboard (WCAG 2.1.1)
    <section class="table-wrap" aria-label={props.label} tabIndex={0}>
      {props.children}
    </section>
  );
}

/** Lots as a table on a desk, as cards on a phone (CSS turns each row into a card). */
export function LotTable(props: {
  lots: Lot[];
  open(id: string): void;
  /** Whether this desk may open a lot (one handed over to someone else it may no longer read). */
  readable?(lot: Lot): boolean;
  selected?: Set<string>;
  toggle?(lot: Lot): void;
}) {
  const lang = useLang();
  const t = useT(dict);
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
              {(props.readable?.(l) ?? true) ? (
                <button type="button" class="link" onClick={() => props.open(l.id)}>
                  {l.code}
                </button>
              ) : (
                <span class="mono">{l.code}</span>
              )}
            </td>
            <td data-label={t('form')}>{wordFor(formWords[lang], l.form)}</td>
            <td data-label={t('gross')} class="num">
              {showGrams(l.grossWeightG)} g
            </td>
            <td data-label={t('fineness')} class="num">
              {l.fineness} ‰
            </td>
            <td data-label={t('fine')} class="num">
              {showGrams(l.fineWeightG)} g
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

export function MyLots(props: { ctx: AppContext; me: string; version: number; go(v: View): void }) {
  const { api } = props.ctx;
  const lang = useLang();
  const t = useT(dict);
  const [status, setStatus] = useState<LotStatus | ''>('active');
  const [flaggedOnly, setFlaggedOnly] = useState(false);
  const [search, setSearch] = useState('');
  const [lots, setLots] = useState<Lot[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [selected, setSelected] = useState<Map<string, Lot>>(new Map());

  const query = (after: string | null) => {
    const q = new URLSearchParams({ custodianId: props.me, limit: '50' });
    if (status) q.set('status', status);
    if (flaggedOnly) q.set('flagged', 'true');
    if (after) q.set('cursor', after);
    return `/v1/lots?${q}`;
  };
  const load = async (after: string | null) => {
    setBusy(true);
    setError(null);
    try {
      const page = await api.get<Page<Lot>>(query(after));
      setLots((prev) => (after && prev ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    void load(null);
  }, [status, flaggedOnly, props.version, api]);

  const needle = search.trim().toUpperCase();
  const shown = lots?.filter((l) => !needle || l.code.toUpperCase().includes(needle)) ?? [];
  const toggle = (lot: Lot) =>
    setSelected((prev) => {
      const next = new Map(prev);
      if (next.has(lot.id)) next.delete(lot.id);
      else next.set(lot.id, lot);
      return next;
    });

  return (
    <section aria-labelledby="lots-title">
      <h2 id="lots-title">{t('myLots')}</h2>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <div>
          <label for="f-status">{t('status')}</label>
          <select
            id="f-status"
            value={status}
            onChange={(e) => setStatus((e.currentTarget as HTMLSelectElement).value as LotStatus | '')}
          >
            <option value="">{t('allStatuses')}</option>
            {lotStatuses.map((s) => (
              <option key={s} value={s}>
                {lotStatusWords[lang][s]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="f-search">{t('searchCode')}</label>
          <input
            id="f-search"
            type="search"
            value={search}
            placeholder="AU-2026-…"
            onInput={(e) => setSearch((e.currentTarget as HTMLInputElement).value)}
          />
        </div>
        <div class="check">
          <input
            id="f-flagged"
            type="checkbox"
            checked={flaggedOnly}
            onChange={(e) => setFlaggedOnly((e.currentTarget as HTMLInputElement).checked)}
          />
          <label for="f-flagged">{t('flaggedOnly')}</label>
        </div>
      </form>
      {error && (
        <div class="problem" role="alert">
          <p>{error}</p>
          <button type="button" class="secondary" onClick={() => void load(null)}>
            {t('retry')}
          </button>
        </div>
      )}
      {selected.size > 0 && (
        <div class="notice actions" aria-live="polite">
          <span>{t('selectedCount', { n: selected.size })}</span>
          <button
            type="button"
            disabled={selected.size < 2}
            onClick={() => props.go({ kind: 'merge', lots: [...selected.values()] })}
          >
            {t('mergeSelected')}
          </button>
          <button type="button" class="secondary" onClick={() => setSelected(new Map())}>
            {t('clearSelection')}
          </button>
        </div>
      )}
      {lots === null ? (
        <p aria-busy="true">{t('loading')}</p>
      ) : shown.length === 0 ? (
        <p class="hint">{t('noLots')}</p>
      ) : (
        <ScrollArea label={t('lotsCaption')}>
          <LotTable
            lots={shown}
            open={(id) => props.go({ kind: 'lot', id })}
            selected={new Set(selected.keys())}
            toggle={toggle}
          />
        </ScrollArea>
      )}
      {cursor && (
        <div class="actions">
          <button type="button" class="secondary" disabled={busy} onClick={() => void load(cursor)}>
            {busy ? t('loading') : t('more')}
          </button>
        </div>
      )}
    </section>
  );
}
