/**
 * My lots: the lots in my custody, filtered, a page at a time, as a table or (narrow) as cards.
 * The search by code runs on the server (GET /v1/lots?q=), across every lot, not only the page
 * loaded; the filters live in the address (#/lots?status=…&q=…), so Back returns to them.
 */
import { useEffect, useState } from 'preact/hooks';
import { lotStatuses } from '../../domain/shared/vocabulary.js';
import { answer } from '../shared/api.js';
import type { Lot, LotStatus } from '../shared/api-types.js';
import { useLang, useT } from '../shared/i18n.js';
import { useDescribeProblem } from '../shared/problems.js';
import { href, navigate, type Route } from '../shared/route.js';
import type { AppContext } from '../shared/shell.js';
import { ScrollArea } from '../shared/table.js';
import { lotStatusWords } from '../shared/words.js';
import { dict } from './i18n.js';
import { LotTable } from './lot-table.js';
import { mergeHref } from './routes.js';

export function MyLots(props: { ctx: AppContext; me: string; version: number; route: Route }) {
  const { api } = props.ctx;
  const lang = useLang();
  const t = useT(dict);
  const describe = useDescribeProblem();
  const query = props.route.query;
  const status = (query.get('status') ?? 'active') as LotStatus | 'all';
  const flaggedOnly = query.get('flagged') === 'true';
  const search = query.get('q') ?? '';
  const [typed, setTyped] = useState(search);
  const [lots, setLots] = useState<Lot[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [selected, setSelected] = useState<Map<string, Lot>>(new Map());

  const setFilter = (change: Record<string, string | undefined>) => {
    const next = { status, flagged: flaggedOnly ? 'true' : undefined, q: search || undefined, ...change };
    // A filter is not a place of its own: Back leaves the list, not each keystroke.
    navigate(href(['lots'], { ...next, status: next.status === 'active' ? undefined : next.status }), {
      replace: true,
    });
  };
  // Back or a link may change the search in the address: the box follows unless it is being typed in.
  useEffect(() => {
    if (document.activeElement?.id !== 'f-search') setTyped(search);
  }, [search]);
  // The search is sent once the person pauses typing.
  useEffect(() => {
    if (typed.trim() === search) return;
    const timer = setTimeout(() => setFilter({ q: typed.trim() || undefined }), 300);
    return () => clearTimeout(timer);
  }, [typed]);

  const lotsQuery = (after: string | null) => ({
    custodianId: props.me,
    limit: 50,
    ...(status !== 'all' ? { status } : {}),
    ...(flaggedOnly ? { flagged: 'true' as const } : {}),
    ...(search ? { q: search } : {}),
    ...(after ? { cursor: after } : {}),
  });
  const load = async (after: string | null) => {
    setBusy(true);
    setError(null);
    try {
      const page = await answer(api.GET('/v1/lots', { params: { query: lotsQuery(after) } }));
      setLots((prev) => (after && prev ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    void load(null);
  }, [status, flaggedOnly, search, props.version, api]);

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
            onChange={(e) => setFilter({ status: (e.currentTarget as HTMLSelectElement).value })}
          >
            <option value="all">{t('allStatuses')}</option>
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
            value={typed}
            placeholder="AU-2026-…"
            onInput={(e) => setTyped((e.currentTarget as HTMLInputElement).value)}
          />
        </div>
        <div class="check">
          <input
            id="f-flagged"
            type="checkbox"
            checked={flaggedOnly}
            onChange={(e) =>
              setFilter({ flagged: (e.currentTarget as HTMLInputElement).checked ? 'true' : undefined })
            }
          />
          <label for="f-flagged">{t('flaggedOnly')}</label>
        </div>
      </form>
      {error !== null && (
        <div class="problem" role="alert">
          <p>{describe(error)}</p>
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
            onClick={() => navigate(mergeHref([...selected.keys()]))}
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
      ) : lots.length === 0 ? (
        <p class="hint">{t('noLots')}</p>
      ) : (
        <ScrollArea label={t('lotsCaption')}>
          <LotTable lots={lots} selected={new Set(selected.keys())} toggle={toggle} />
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
