/**
 * The flag queue (#/flags?…): hundreds of flags, worked a page at a time from the server — most
 * severe first, then oldest (or by age alone) — grouped by the lot or movement they are on,
 * each collapsed to its rule, severity, subject and age. Filters, order and page live in the
 * address, so a filtered queue is a link and Back returns to the previous page. Flags are
 * selected in the list and decided on in one review panel, which shows everything a decision
 * will touch before it is confirmed; the filtered queue downloads as CSV.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { operations } from '../../client/openapi.js';
import { type Api, answer } from '../shared/api.js';
import type { FlagListItem, FlagStatus, RuleCode, Severity, SubjectType } from '../shared/api-types.js';
import { useLang } from '../shared/i18n.js';
import { useLoad } from '../shared/load.js';
import { useDescribeProblem } from '../shared/problems.js';
import { href, navigate, useRoute } from '../shared/route.js';
import { Problem } from '../shared/ui.js';
import { flagStatusWords, ruleWords, severityWords } from '../shared/words.js';
import { codeOf, FlagItem, flagNames } from './flag-card.js';
import { type FlagT, uniqueNames, useFlagT } from './flags-i18n.js';
import { ReviewPanel } from './review-panel.js';

const statuses: FlagStatus[] = ['open', 'escalated', 'acknowledged', 'dismissed'];
const severitiesList: Severity[] = ['critical', 'high', 'medium', 'low'];
const ruleList = Object.keys(ruleWords.es) as RuleCode[];
const sorts = ['severity', 'age', 'recent'] as const;
type Sort = (typeof sorts)[number];
const pageSize = 50;

interface Filters {
  /** 'any' for every status; open by default, the work still to do. */
  status: FlagStatus | 'any';
  rule: RuleCode | '';
  subjectType: SubjectType | '';
  severity: Severity | '';
  sort: Sort;
}

const oneOf = <T extends string>(list: readonly T[], v: string | null, fallback: T): T =>
  v !== null && (list as readonly string[]).includes(v) ? (v as T) : fallback;

function filtersOf(q: URLSearchParams): Filters {
  return {
    status: oneOf<FlagStatus | 'any'>([...statuses, 'any'], q.get('status'), 'open'),
    rule: oneOf<RuleCode | ''>(ruleList, q.get('rule'), ''),
    subjectType: oneOf<SubjectType | ''>(['lot', 'movement'], q.get('subjectType'), ''),
    severity: oneOf<Severity | ''>(severitiesList, q.get('severity'), ''),
    sort: oneOf(sorts, q.get('sort'), 'severity'),
  };
}

/** The API's query for the filters: every status is no status filter. */
type FlagsQuery = NonNullable<operations['getFlags']['parameters']['query']>;

function apiQuery(f: Filters): FlagsQuery {
  return {
    sort: f.sort,
    ...(f.status !== 'any' ? { status: f.status } : {}),
    ...(f.rule ? { rule: f.rule } : {}),
    ...(f.subjectType ? { subjectType: f.subjectType } : {}),
    ...(f.severity ? { severity: f.severity } : {}),
  };
}

const wideScreen = () => typeof matchMedia === 'function' && matchMedia('(min-width: 900px)').matches;

const routeOf = (f: Filters, extra: Record<string, string> = {}) =>
  href(['flags'], { ...f, ...extra } as Record<string, string>);

/**
 * Moves to the review panel from the list. On a phone the panel can be taller than the screen:
 * it is scrolled to its start (its title and what is selected), not merely into view.
 */
function showReviewPanel() {
  const panel = document.getElementById('review-panel');
  panel?.focus({ preventScroll: true });
  panel?.scrollIntoView({ block: 'start' });
}

/** The address of a page: its cursor, the cursors before it, its number. */
const pageLink = (f: Filters, trail: string[], cursor: string) =>
  cursor ? routeOf(f, { cursor, trail: trail.join('.'), page: String(trail.length + 1) }) : routeOf(f);

interface Group {
  key: string;
  subjectType: SubjectType;
  subjectId: string;
  code: string;
  flags: FlagListItem[];
}

/** The page's flags by subject, in the order of each subject's first (most urgent) flag. */
function groupsOf(items: FlagListItem[]): Group[] {
  const groups = new Map<string, Group>();
  for (const f of items) {
    const key = `${f.subjectType}:${f.subjectId}`;
    const g = groups.get(key);
    if (g) g.flags.push(f);
    else
      groups.set(key, {
        key,
        subjectType: f.subjectType,
        subjectId: f.subjectId,
        code: codeOf(f),
        flags: [f],
      });
  }
  return [...groups.values()];
}

/**
 * Flags with a checkbox each and the one review panel beside them: the queue's page, or a lot's
 * own flags. Selection survives paging; a review reloads the list.
 */
export function FlagsWithReview(props: {
  api: Api;
  items: FlagListItem[];
  grouped: boolean;
  /** The queue's filters: a group's flags on other pages are fetched with them to select a whole subject. */
  query?: FlagsQuery;
  onReviewed(message: string): void;
  onChanged?(): void;
}) {
  const t = useFlagT();
  const lang = useLang();
  const [selected, setSelected] = useState(new Map<string, FlagListItem>());
  const [loadingGroup, setLoadingGroup] = useState<string | null>(null);
  const [listProblem, setListProblem] = useState<string | null>(null);
  const describe = useDescribeProblem();
  const names = flagNames(props.items, lang, t);
  const codes = new Map(props.items.map((f) => [f.subjectId, codeOf(f)]));
  const set = (fs: FlagListItem[], on: boolean) =>
    setSelected((prev) => {
      const next = new Map(prev);
      for (const f of fs) on ? next.set(f.id, f) : next.delete(f.id);
      return next;
    });

  const item = (f: FlagListItem) => {
    const sourceLot = typeof f.evidence.sourceLotId === 'string' ? f.evidence.sourceLotId : undefined;
    return (
      <li key={f.id}>
        <FlagItem
          flag={f}
          selected={selected.has(f.id)}
          selectName={names.get(f.id)?.select ?? ''}
          reviewName={names.get(f.id)?.review ?? ''}
          sourceCode={sourceLot ? codes.get(sourceLot) : undefined}
          showLotLink={props.grouped}
          onToggle={(on) => set([f], on)}
          onReview={() => {
            setSelected(new Map([[f.id, f]]));
            showReviewPanel();
          }}
        />
      </li>
    );
  };

  const groups = props.grouped ? groupsOf(props.items) : [];
  /** A subject's flags on every page, under the queue's filters (the server counted them). */
  const totalOf = (g: Group) => Math.max(g.flags.length, g.flags[0]?.subjectFlagCount ?? 0);
  const groupNames = uniqueNames(
    groups.map((g) =>
      totalOf(g) > g.flags.length
        ? t('selectWholeGroup', { total: totalOf(g), code: g.code })
        : t('selectGroup', { n: g.flags.length, code: g.code }),
    ),
  );
  const selectedOf = (g: Group) => [...selected.values()].filter((f) => f.subjectId === g.subjectId).length;
  /**
   * Selecting a subject selects all its flags that pass the filters, those on other pages too:
   * a bulk decision on a lot must not quietly leave half of its flags undecided.
   */
  const selectGroup = async (g: Group, on: boolean) => {
    setListProblem(null);
    if (!on || totalOf(g) <= g.flags.length) {
      if (on) set(g.flags, true);
      else
        set(
          [...selected.values()].filter((f) => f.subjectId === g.subjectId),
          false,
        );
      return;
    }
    setLoadingGroup(g.key);
    try {
      const all = await answer(
        props.api.GET('/v1/flags', {
          params: {
            query: {
              ...(props.query ?? {}),
              subjectType: g.subjectType,
              subjectId: g.subjectId,
              limit: 500,
            },
          },
        }),
      );
      set(all.items, true);
    } catch (err) {
      setListProblem(describe(err));
    } finally {
      setLoadingGroup(null);
    }
  };
  return (
    <div class="flag-workspace">
      <ReviewPanel
        api={props.api}
        selected={[...selected.values()]}
        onClear={() => setSelected(new Map())}
        onReviewed={(message) => {
          setSelected(new Map());
          props.onReviewed(message);
        }}
        onChanged={(message) => {
          setSelected(new Map());
          setListProblem(message);
          props.onChanged?.();
          // The confirm button has gone with its preview: the panel keeps the focus.
          showReviewPanel();
        }}
      />
      <Problem>{listProblem}</Problem>
      <div class="flag-column">
        {props.grouped ? (
          <div class="flag-groups">
            {groups.map((g, i) => (
              <section key={g.key} class="flag-group" aria-labelledby={`group-${g.subjectId}`}>
                <h3 id={`group-${g.subjectId}`} class="group-title">
                  {g.subjectType === 'lot' ? t('subjectLot') : t('subjectMovement')}{' '}
                  {g.subjectType === 'lot' ? <a href={href(['lots', g.subjectId])}>{g.code}</a> : g.code}{' '}
                  <span class="group-count">
                    {totalOf(g) > g.flags.length
                      ? t('groupCountOf', { n: g.flags.length, total: totalOf(g) })
                      : g.flags.length === 1
                        ? t('groupCountOne')
                        : t('groupCount', { n: g.flags.length })}
                  </span>
                </h3>
                {totalOf(g) > 1 && (
                  <label class="select-group">
                    <input
                      type="checkbox"
                      disabled={loadingGroup === g.key}
                      // Ticked at once while the subject's other pages load (then for good).
                      checked={
                        loadingGroup === g.key ||
                        (g.flags.every((f) => selected.has(f.id)) && selectedOf(g) >= totalOf(g))
                      }
                      onChange={(e) => void selectGroup(g, (e.currentTarget as HTMLInputElement).checked)}
                    />{' '}
                    {groupNames[i]}
                  </label>
                )}
                {loadingGroup === g.key && <p role="status">{t('loadingGroup', { code: g.code })}</p>}
                <ol class="flag-list">{g.flags.map(item)}</ol>
              </section>
            ))}
          </div>
        ) : (
          <ol class="flag-list">{props.items.map(item)}</ol>
        )}
        {/* On a phone the panel sits above the list, a long scroll away from a card ticked far
            down: this bar stays at the bottom of the screen and leads back to it. */}
        {selected.size > 0 && (
          <p class="selection-bar">
            <button type="button" onClick={showReviewPanel}>
              {t(selected.size === 1 ? 'goToReviewOne' : 'goToReview', { n: selected.size })}
            </button>
          </p>
        )}
      </div>
    </div>
  );
}

export function FlagQueue(props: { api: Api; onReviewed(): void }) {
  const t = useFlagT();
  const { api } = props;
  const route = useRoute();
  const filters = filtersOf(route.query);
  const cursor = route.query.get('cursor') ?? '';
  // The cursors of the pages before this one, in order ('' the first page): Previous is a link
  // like Next, so a page of the queue is an address whichever way it was reached.
  const trail = cursor ? (route.query.get('trail') ?? '').split('.') : [];
  const pageNo = cursor ? trail.length + 1 : 1;
  const [done, setDone] = useState<string | null>(null);
  const notice = useRef<HTMLParagraphElement>(null);
  // A review takes its cards out of the open queue: focus goes to the sentence saying what was
  // decided (the list follows it), never to the top of the document.
  useEffect(() => {
    if (done) notice.current?.focus();
  }, [done]);
  const query = apiQuery(filters);
  // The page number travels with the page it numbers: while Back or Next loads, the last page
  // stays on screen under its own number, never under the route's new one.
  const page = useLoad(
    () =>
      answer(
        api.GET('/v1/flags', {
          params: { query: { ...query, limit: pageSize, ...(cursor ? { cursor } : {}) } },
        }),
      ).then((r) => ({ ...r, pageNo, cursor, sort: filters.sort })),
    [api, JSON.stringify(query), cursor, pageNo],
  );
  const change = (k: keyof Filters, v: string) => {
    setDone(null);
    navigate(routeOf({ ...filters, [k]: v } as Filters), { replace: true });
  };
  const items = page.data?.items;
  const sort = page.data?.sort ?? filters.sort;
  const order = t(sort === 'severity' ? 'orderSeverity' : sort === 'age' ? 'orderAge' : 'orderRecent');

  return (
    <section aria-labelledby="flags-title">
      <h2 id="flags-title">{t('flagsTitle')}</h2>
      {/* Open on a desktop; on a phone the five selects would push the queue a screen down. */}
      <details class="filter-box" open={wideScreen()}>
        <summary>{t('filtersAndOrder')}</summary>
        <FilterForm t={t} filters={filters} change={change} />
      </details>
      <CsvDownload api={api} query={query} />
      {done && (
        <p class="notice" role="status" tabIndex={-1} ref={notice}>
          {done}
        </p>
      )}
      <Problem>{page.error}</Problem>
      {items === undefined ? (
        <p role="status">…</p>
      ) : items.length === 0 ? (
        <p>{t('noFlags')}</p>
      ) : (
        <>
          <p class="hint" id="page-info" aria-busy={page.loading}>
            {t('pageInfo', {
              page: page.data?.pageNo ?? pageNo,
              n: items.length,
              groups: groupsOf(items).length,
              order,
            })}
          </p>
          <FlagsWithReview
            api={api}
            items={items}
            grouped
            query={query}
            onReviewed={(message) => {
              setDone(message);
              page.reload();
              props.onReviewed();
            }}
            onChanged={() => {
              page.reload();
              props.onReviewed();
            }}
          />
          <nav class="actions pager" aria-label={t('pagesNav')}>
            {page.data?.cursor && trail.length > 1 && <a href={routeOf(filters)}>{t('firstPage')}</a>}
            {page.data?.cursor && (
              <a href={pageLink(filters, trail.slice(0, -1), trail.at(-1) ?? '')}>{t('previousPage')}</a>
            )}
            {page.data?.nextCursor && (
              <a href={pageLink(filters, [...trail, cursor], page.data.nextCursor)}>{t('nextPage')}</a>
            )}
          </nav>
        </>
      )}
    </section>
  );
}

function FilterForm(props: { t: FlagT; filters: Filters; change(k: keyof Filters, v: string): void }) {
  const { t, filters } = props;
  const lang = useLang();
  const on = (k: keyof Filters) => (e: Event) =>
    props.change(k, (e.currentTarget as HTMLSelectElement).value);
  return (
    <form class="filters" aria-label={t('filters')} onSubmit={(e) => e.preventDefault()}>
      <div>
        <label for="f-sort">{t('sort')}</label>
        <select id="f-sort" value={filters.sort} onChange={on('sort')}>
          <option value="severity">{t('sortSeverity')}</option>
          <option value="age">{t('sortAge')}</option>
          <option value="recent">{t('sortRecent')}</option>
        </select>
      </div>
      <div>
        <label for="f-status">{t('status')}</label>
        <select id="f-status" value={filters.status} onChange={on('status')}>
          <option value="any">{t('any')}</option>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {flagStatusWords[lang][s]}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for="f-rule">{t('rule')}</label>
        <select id="f-rule" value={filters.rule} onChange={on('rule')}>
          <option value="">{t('any')}</option>
          {ruleList.map((r) => (
            <option key={r} value={r}>
              {ruleWords[lang][r]}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for="f-subject">{t('subjectType')}</label>
        <select id="f-subject" value={filters.subjectType} onChange={on('subjectType')}>
          <option value="">{t('any')}</option>
          <option value="lot">{t('subjectLot')}</option>
          <option value="movement">{t('subjectMovement')}</option>
        </select>
      </div>
      <div>
        <label for="f-severity">{t('severity')}</label>
        <select id="f-severity" value={filters.severity} onChange={on('severity')}>
          <option value="">{t('any')}</option>
          {severitiesList.map((s) => (
            <option key={s} value={s}>
              {severityWords[lang][s]}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}

/** The filtered queue as a spreadsheet, fetched with the token and kept as a blob: URL. */
function CsvDownload(props: { api: Api; query: FlagsQuery }) {
  const t = useFlagT();
  const lang = useLang();
  const describe = useDescribeProblem();
  const [ready, setReady] = useState<{ url: string; file: string; rows: number } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const link = useRef<HTMLAnchorElement>(null);
  // The file made for other filters must not stay offered under these ones.
  const key = `${JSON.stringify(props.query)}&lang=${lang}`;
  // A blob URL holds its file in memory until revoked; another filter makes another file.
  useEffect(() => () => void (ready && URL.revokeObjectURL(ready.url)), [ready]);
  useEffect(() => setReady(null), [key]);
  useEffect(() => {
    if (ready) link.current?.focus();
  }, [ready]);
  const fetchCsv = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const { data: blob, response: res } = await props.api.GET('/v1/flags', {
        params: { query: { ...props.query, format: 'csv', lang } },
        headers: { accept: 'text/csv' },
        parseAs: 'blob',
      });
      // A failure was thrown as a problem by the client's middleware: an answer here has its body.
      if (!blob) throw new Error('empty CSV answer');
      const rows = (await blob.text()).split('\r\n').filter((l) => l.length > 0).length - 1;
      const file =
        /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'alertas.csv';
      setReady({ url: URL.createObjectURL(blob), file, rows: Math.max(0, rows) });
    } catch (err) {
      setProblem(describe(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="csv-download">
      <button type="button" class="secondary" disabled={busy} onClick={() => void fetchCsv()}>
        {t('csv')}
      </button>
      {ready && (
        <p role="status">
          {t('csvReady', { file: ready.file, rows: ready.rows })}{' '}
          <a ref={link} href={ready.url} download={ready.file}>
            {t('csvSave', { file: ready.file })}
          </a>
        </p>
      )}
      <Problem>{problem}</Problem>
    </div>
  );
}
