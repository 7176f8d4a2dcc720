/**
 * People by name: an actor shown as "Name (RUC 20…)" wherever the API answered its id, and a
 * picker that finds a registered counterpart by name or RUC in the actor directory
 * (GET /v1/actors/directory). Names are fetched in batches (`?ids=`) and kept for the session
 * (one cache per signed-in API client); the short id is shown only while a name is on its way or
 * when the directory does not know it.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import './actors.css';
import type { components } from '../../client/openapi.js';
import { type Api, answer } from './api.js';
import { type Dict, useT } from './i18n.js';
import { useDescribeProblem } from './problems.js';
import { Problem } from './ui.js';

/** An entry of the actor directory: only its public facts. */
export type DirectoryEntry = components['schemas']['DirectoryEntry'];

const words: Dict<
  | 'search'
  | 'searchHint'
  | 'tooShort'
  | 'none'
  | 'found'
  | 'more'
  | 'searching'
  | 'results'
  | 'chosen'
  | 'ruc'
> = {
  es: {
    search: 'Buscar por nombre o RUC',
    searchHint: 'Escriba al menos 2 letras del nombre o los primeros dígitos del RUC.',
    tooShort: 'Escriba al menos 2 caracteres para buscar.',
    none: 'Ningún actor registrado coincide con «{q}».',
    found: '{n} resultado(s) para «{q}». Elija uno.',
    more: 'Hay más de {n} resultados para «{q}»: se muestran los {n} primeros por nombre. Escriba más del nombre o del RUC para acotar.',
    searching: 'Buscando…',
    results: 'Resultados de la búsqueda',
    chosen: 'Elegido: {who}',
    ruc: 'RUC',
  },
  en: {
    search: 'Search by name or RUC',
    searchHint: 'Type at least 2 letters of the name or the first digits of the RUC.',
    tooShort: 'Type at least 2 characters to search.',
    none: 'No registered actor matches “{q}”.',
    found: '{n} result(s) for “{q}”. Pick one.',
    more: 'More than {n} results for “{q}”: the first {n} by name are shown. Type more of the name or RUC to narrow them.',
    searching: 'Searching…',
    results: 'Search results',
    chosen: 'Chosen: {who}',
    ruc: 'RUC',
  },
};

/** "Name (RUC 20600000011)". */
export const actorLabel = (e: Pick<DirectoryEntry, 'name' | 'taxId'>): string => `${e.name} (RUC ${e.taxId})`;

/** An id as a last resort: its first eight characters. */
export const shortId = (id: string): string => `${id.slice(0, 8)}…`;

interface Cache {
  entries: Map<string, Promise<DirectoryEntry | null>>;
  resolved: Map<string, DirectoryEntry | null>;
  pending: Map<string, (e: DirectoryEntry | null) => void>;
  timer: ReturnType<typeof setTimeout> | null;
}
// One cache per API client: a new sign-in makes a new client, and so starts afresh.
const caches = new WeakMap<Api, Cache>();

function cacheOf(api: Api): Cache {
  let c = caches.get(api);
  if (!c) {
    c = { entries: new Map(), resolved: new Map(), pending: new Map(), timer: null };
    caches.set(api, c);
  }
  return c;
}

/** Remembers entries the app already holds (a search's results), so their names need no call. */
function rememberActors(api: Api, entries: DirectoryEntry[]): void {
  const c = cacheOf(api);
  for (const e of entries) {
    c.resolved.set(e.id, e);
    c.entries.set(e.id, Promise.resolve(e));
  }
}

async function flush(api: Api, c: Cache): Promise<void> {
  c.timer = null;
  const batch = [...c.pending.entries()];
  c.pending.clear();
  for (let i = 0; i < batch.length; i += 100) {
    const part = batch.slice(i, i + 100);
    let found: DirectoryEntry[] = [];
    try {
      const query = { ids: part.map(([id]) => id).join(','), limit: 100 };
      const page = await answer(api.GET('/v1/actors/directory', { params: { query } }));
      found = page.items;
    } catch {
      // Names are a help, not a need: without them the short id stays, and a later view retries.
      for (const [id] of part) c.entries.delete(id);
    }
    const byId = new Map(found.map((e) => [e.id, e]));
    for (const [id, done] of part) {
      const e = byId.get(id) ?? null;
      if (c.entries.has(id)) c.resolved.set(id, e);
      done(e);
    }
  }
}

/** The directory entry of `id`, fetched with the others asked for in the same moment. */
function entryOf(api: Api, id: string): Promise<DirectoryEntry | null> {
  const c = cacheOf(api);
  const known = c.entries.get(id);
  if (known) return known;
  const p = new Promise<DirectoryEntry | null>((resolve) => c.pending.set(id, resolve));
  c.entries.set(id, p);
  c.timer ??= setTimeout(() => void flush(api, c), 0);
  return p;
}

/** The entries of `ids` (null: unknown to the directory; absent: still on its way). */
export function useActors(api: Api, ids: (string | null | undefined)[]): Map<string, DirectoryEntry | null> {
  // Only actor ids: a reviewer is a token subject ("regulator:local"), which the directory would refuse.
  const wanted = [...new Set(ids.filter((x): x is string => !!x && actorIdPattern.test(x)))];
  const key = wanted.join(',');
  const c = cacheOf(api);
  const [, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    const missing = wanted.filter((id) => !c.resolved.has(id));
    if (missing.length === 0) return;
    void Promise.all(missing.map((id) => entryOf(api, id))).then(() => live && setTick((n) => n + 1));
    return () => {
      live = false;
    };
  }, [api, key]);
  return new Map(wanted.filter((id) => c.resolved.has(id)).map((id) => [id, c.resolved.get(id) ?? null]));
}

const actorIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** "Name (RUC …)" of each of `ids` the directory knows, as they arrive. */
export function useActorLabels(api: Api, ids: (string | null | undefined)[]): Map<string, string> {
  const entries = useActors(api, ids);
  return new Map([...entries].flatMap(([id, e]): [string, string][] => (e ? [[id, actorLabel(e)]] : [])));
}

/** An actor by name and RUC; the short id (with the whole id in a tooltip) until then. */
export function ActorName(props: { api: Api; id: string | null | undefined }) {
  const entries = useActors(props.api, [props.id]);
  if (!props.id) return <span>—</span>;
  const e = entries.get(props.id);
  return e ? (
    <span class="actor-name">{actorLabel(e)}</span>
  ) : (
    <span class="mono" title={props.id}>
      {shortId(props.id)}
    </span>
  );
}

/**
 * One counterpart chosen from the directory: a search box, the registered actors it finds as a
 * group of radio buttons (arrow keys move between them), a polite announcement of how many were
 * found, and the choice itself. Only an actor the directory answered can be chosen.
 */
export function ActorPicker(props: {
  api: Api;
  /** The id of the search box (its label points at it). */
  id: string;
  label: string;
  value: DirectoryEntry | null;
  onChange(e: DirectoryEntry | null): void;
  /** Ids that may not be chosen (the desk's own actor, the lot's custodian). */
  exclude?: string[];
}) {
  const t = useT(words);
  const describe = useDescribeProblem();
  const [q, setQ] = useState('');
  const [results, setResults] = useState<{ q: string; items: DirectoryEntry[]; more: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const seq = useRef(0);
  const needle = q.trim();
  useEffect(() => {
    if (needle.length < 2) {
      setResults(null);
      return;
    }
    const mine = ++seq.current;
    setBusy(true);
    const timer = setTimeout(() => {
      answer(props.api.GET('/v1/actors/directory', { params: { query: { q: needle, limit: 20 } } }))
        .then(
          (page) => {
            if (mine !== seq.current) return;
            rememberActors(props.api, page.items);
            setResults({
              q: needle,
              items: page.items.filter((e) => !props.exclude?.includes(e.id)),
              // Only the first page is shown: a person narrows the search rather than pages.
              more: page.nextCursor !== null,
            });
            setError(null);
          },
          (err: unknown) => mine === seq.current && setError(err),
        )
        .finally(() => mine === seq.current && setBusy(false));
    }, 250);
    return () => clearTimeout(timer);
  }, [needle, props.api]);

  const status =
    needle.length < 2
      ? needle.length > 0
        ? t('tooShort')
        : ''
      : busy && !results
        ? t('searching')
        : results
          ? results.items.length === 0
            ? t('none', { q: results.q })
            : results.more
              ? t('more', { n: results.items.length, q: results.q })
              : t('found', { n: results.items.length, q: results.q })
          : '';
  const group = `${props.id}-results`;
  return (
    <div class="actor-picker">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="search"
        autoComplete="off"
        spellcheck={false}
        aria-describedby={`${props.id}-hint ${props.id}-status`}
        value={q}
        onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)}
      />
      <p class="hint" id={`${props.id}-hint`}>
        {t('searchHint')}
      </p>
      <p class="hint" id={`${props.id}-status`} role="status" aria-live="polite">
        {status}
      </p>
      <Problem>{error ? describe(error) : null}</Problem>
      {results && results.items.length > 0 && (
        <fieldset class="actor-results">
          <legend>{t('results')}</legend>
          {results.items.map((e) => (
            <div class="actor-choice" key={e.id}>
              <input
                type="radio"
                id={`${group}-${e.id}`}
                name={group}
                checked={props.value?.id === e.id}
                onChange={() => props.onChange(e)}
              />
              <label for={`${group}-${e.id}`}>{actorLabel(e)}</label>
            </div>
          ))}
        </fieldset>
      )}
      {props.value && (
        <p class="chosen">
          <strong>{t('chosen', { who: actorLabel(props.value) })}</strong>
        </p>
      )}
    </div>
  );
}
