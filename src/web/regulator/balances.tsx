/**
 * Balances: the fine gold declared on a concession against what its area can plausibly yield,
 * and a producer's gold against the mercury and fuel it received — numbers from
 * GET /v1/concessions/:id/balance and GET /v1/actors/:id/balance, in tables.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { actorLabel } from '../shared/actors.js';
import { type Api, allPages, answer } from '../shared/api.js';
import type { Actor } from '../shared/api-types.js';
import { useLang } from '../shared/i18n.js';
import { useLoad } from '../shared/load.js';
import { formatGrams, formatNumber } from '../shared/numbers.js';
import { useDescribeProblem } from '../shared/problems.js';
import { Problem } from '../shared/ui.js';
import { concessionKindWords, ruleWords, wordFor } from '../shared/words.js';
import { formatDate, type T, useRegT } from './i18n.js';

function WindowFields(props: {
  prefix: string;
  to: string;
  days: string;
  setTo(v: string): void;
  setDays(v: string): void;
}) {
  const t = useRegT();
  return (
    <div class="filters">
      <div>
        <label for={`${props.prefix}-to`}>{t('windowTo')}</label>
        <input
          id={`${props.prefix}-to`}
          type="date"
          value={props.to}
          aria-describedby={`${props.prefix}-help`}
          onInput={(e) => props.setTo((e.currentTarget as HTMLInputElement).value)}
        />
      </div>
      <div>
        <label for={`${props.prefix}-days`}>{t('windowDays')}</label>
        <input
          id={`${props.prefix}-days`}
          type="number"
          min={1}
          max={3660}
          inputMode="numeric"
          value={props.days}
          aria-describedby={`${props.prefix}-help`}
          onInput={(e) => props.setDays((e.currentTarget as HTMLInputElement).value)}
        />
      </div>
      <p class="hint" id={`${props.prefix}-help`}>
        {t('windowHelp')}
      </p>
    </div>
  );
}

/** The window of a balance as the API's query: `to` and `windowDays`, each when given. */
interface BalanceWindow {
  to?: string;
  windowDays?: number;
}
const windowQuery = (to: string, days: string): BalanceWindow => ({
  ...(to ? { to } : {}),
  // A number that is not one is sent as NaN, which the server refuses with the field's name.
  ...(days ? { windowDays: Number(days) } : {}),
});

/**
 * The balance form of one panel: which concession or actor, the window (`to`, `days`), and the
 * answer or the problem of asking for it (each clears the other).
 */
function useBalance<B>(balanceOf: (id: string, query: BalanceWindow) => Promise<B>) {
  const describe = useDescribeProblem();
  const [id, setId] = useState('');
  const [to, setTo] = useState('');
  const [days, setDays] = useState('');
  const [result, setResult] = useState<B | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!id) return;
    try {
      setResult(await balanceOf(id, windowQuery(to, days)));
      setProblem(null);
    } catch (err) {
      setResult(null);
      setProblem(describe(err));
    }
  };
  return { id, setId, result, problem, setProblem, submit, windowFields: { to, days, setTo, setDays } };
}

function Rows(props: { rows: [string, ComponentChildren, boolean?][]; t: T; caption: string }) {
  return (
    <div class="table-wrap">
      <table class="balance">
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.t('measure')}</th>
            <th scope="col" class="num">
              {props.t('value')}
            </th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map(([label, value, strong]) => (
            <tr key={label} class={strong ? 'strong' : undefined}>
              <th scope="row">{label}</th>
              <td class="num">{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function FlagCounts(props: { counts: Record<string, number>; label?: string }) {
  const lang = useLang();
  const entries = Object.entries(props.counts);
  if (entries.length === 0) return props.label ? null : <span>0</span>;
  return (
    <ul class="counts">
      {entries.map(([rule, n]) => (
        <li key={rule}>
          {props.label ? `${props.label}: ` : ''}
          {wordFor(ruleWords[lang], rule)} — <strong>{n}</strong>
        </li>
      ))}
    </ul>
  );
}

/** Unresolved flags counted: the total first, then by rule. */
function FlagTotal(props: { counts: Record<string, number> }) {
  const total = Object.values(props.counts).reduce((a, b) => a + b, 0);
  return (
    <>
      <strong class="flag-total">{total}</strong>
      {total > 0 && <FlagCounts counts={props.counts} />}
    </>
  );
}

function ConcessionBalancePanel({ api }: { api: Api }) {
  const t = useRegT();
  const lang = useLang();
  const list = useLoad(
    () =>
      allPages(
        (cursor) => answer(api.GET('/v1/concessions', { params: { query: { limit: 500, cursor } } })),
        5000,
      ),
    [api],
  );
  const { id, setId, result, problem, submit, windowFields } = useBalance((concession, query) =>
    answer(api.GET('/v1/concessions/{id}/balance', { params: { path: { id: concession }, query } })),
  );
  const sorted = [...(list.data ?? [])].sort(
    (a, b) => (a.kind === 'mining' ? 0 : 1) - (b.kind === 'mining' ? 0 : 1) || a.code.localeCompare(b.code),
  );
  return (
    <section class="card" aria-labelledby="bal-conc-title">
      <h3 id="bal-conc-title">{t('byConcession')}</h3>
      <form onSubmit={submit}>
        <label for="bal-concession">{t('pickConcession')}</label>
        <select
          id="bal-concession"
          value={id}
          onChange={(e) => setId((e.currentTarget as HTMLSelectElement).value)}
        >
          <option value="">{t('choose')}</option>
          {sorted.map((c) => (
            <option key={c.id} value={c.id}>
              {c.code} · {c.name} ({wordFor(concessionKindWords[lang], c.kind)})
            </option>
          ))}
        </select>
        <Problem>{list.error}</Problem>
        <WindowFields prefix="bal-conc" {...windowFields} />
        <div class="actions">
          <button type="submit" disabled={!id}>
            {t('calculate')}
          </button>
        </div>
      </form>
      <Problem>{problem}</Problem>
      {result && (
        <Rows
          t={t}
          caption={`${result.code} · ${result.name}`}
          rows={[
            [
              t('window'),
              t('windowValue', {
                from: formatDate(result.window.from, lang),
                to: formatDate(result.window.to, lang),
                days: result.window.days,
              }),
            ],
            [t('areaHa'), formatNumber(result.areaHa, lang, { unit: 'ha' })],
            [t('declaredFine'), formatGrams(result.declaredFineG, lang), true],
            [t('lotCount'), result.lotCount],
            [
              t('capacityFine'),
              `${formatGrams(result.capacityFineG, lang)} (${formatNumber(result.thresholds.fineKgPerHaYear, lang, { unit: `kg/ha/${lang === 'es' ? 'año' : 'yr'}` })})`,
            ],
            [
              t('ratio'),
              result.ratio === null ? t('noValue') : formatNumber(result.ratio, lang, { unit: '×' }),
              true,
            ],
            [t('capacityFlags'), <FlagCounts key="f" counts={result.openFlags} />],
            [t('flagsOnConcessionLots'), <FlagTotal key="l" counts={result.flagsOnLots} />, true],
            [t('flagsOnConcessionMovements'), <FlagTotal key="m" counts={result.flagsOnMovements} />],
          ]}
        />
      )}
    </section>
  );
}

function ActorBalancePanel({ api }: { api: Api }) {
  const t = useRegT();
  const lang = useLang();
  const [q, setQ] = useState('');
  const [actors, setActors] = useState<Actor[] | null>(null);
  const describe = useDescribeProblem();
  const { id, setId, result, problem, setProblem, submit, windowFields } = useBalance((actor, query) =>
    answer(api.GET('/v1/actors/{id}/balance', { params: { path: { id: actor }, query } })),
  );
  const search = async () => {
    try {
      const query = { limit: 100, ...(q.trim() ? { q: q.trim() } : {}) };
      const page = await answer(api.GET('/v1/actors', { params: { query } }));
      setActors(page.items);
      setId(page.items[0]?.id ?? '');
      setProblem(null);
    } catch (err) {
      setProblem(describe(err));
    }
  };
  const r = result;
  return (
    <section class="card" aria-labelledby="bal-actor-title">
      <h3 id="bal-actor-title">{t('byActor')}</h3>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        <label for="bal-actor-q">{t('searchActor')}</label>
        <div class="inline">
          <input
            id="bal-actor-q"
            type="search"
            value={q}
            onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)}
          />
          <button type="submit" class="secondary">
            {t('search')}
          </button>
        </div>
      </form>
      {actors && actors.length === 0 && <p>{t('noActors')}</p>}
      {actors && actors.length > 0 && (
        <form onSubmit={submit}>
          <label for="bal-actor">{t('pickActor')}</label>
          <select
            id="bal-actor"
            value={id}
            onChange={(e) => setId((e.currentTarget as HTMLSelectElement).value)}
          >
            {actors.map((a) => (
              <option key={a.id} value={a.id}>
                {actorLabel(a)}
              </option>
            ))}
          </select>
          <WindowFields prefix="bal-actor" {...windowFields} />
          <div class="actions">
            <button type="submit" disabled={!id}>
              {t('calculate')}
            </button>
          </div>
        </form>
      )}
      <Problem>{problem}</Problem>
      {r && (
        <>
          <Rows
            t={t}
            caption={`${actorLabel(r)} · ${t('production')}`}
            rows={[
              [
                t('window'),
                t('goldWindow', {
                  from: formatDate(r.production.window.goldFrom, lang),
                  inputsFrom: formatDate(r.production.window.inputsFrom, lang),
                  to: formatDate(r.production.window.to, lang),
                  days: r.production.window.days,
                }),
              ],
              [t('declaredFine'), formatGrams(r.production.declaredFineG, lang), true],
              [t('lotCount'), r.production.lotCount],
              [t('mercury'), formatNumber(r.production.mercuryKg, lang, { unit: 'kg' })],
              [t('fuel'), formatNumber(r.production.fuelL, lang, { unit: 'L' })],
              [t('mercurySupports'), formatGrams(r.production.mercurySupportsFineG, lang)],
              [t('fuelSupports'), formatGrams(r.production.fuelSupportsFineG, lang)],
              [
                t('mercuryRatio'),
                r.production.mercuryRatio === null
                  ? t('noValue')
                  : formatNumber(r.production.mercuryRatio, lang, { unit: '×' }),
                true,
              ],
              [
                t('fuelRatio'),
                r.production.fuelRatio === null
                  ? t('noValue')
                  : formatNumber(r.production.fuelRatio, lang, { unit: '×' }),
                true,
              ],
            ]}
          />
          <Rows
            t={t}
            caption={t('diversion')}
            rows={[
              [
                t('window'),
                t('diversionWindow', {
                  from: formatDate(r.diversion.window.inputsFrom, lang),
                  to: formatDate(r.diversion.window.inputsTo, lang),
                  goldTo: formatDate(r.diversion.window.goldTo, lang),
                }),
              ],
              [t('mercury'), formatNumber(r.diversion.mercuryKg, lang, { unit: 'kg' })],
              [t('declaredFine'), formatGrams(r.diversion.declaredFineG, lang)],
              [
                t('mercuryPerGold'),
                r.diversion.mercuryKgPerKgGold === null
                  ? t('noValue')
                  : formatNumber(r.diversion.mercuryKgPerKgGold, lang),
                true,
              ],
              [
                t('openFlags'),
                Object.keys(r.openFlags.lots).length + Object.keys(r.openFlags.movements).length === 0 ? (
                  '0'
                ) : (
                  <>
                    <FlagCounts counts={r.openFlags.lots} label={t('onLots')} />
                    <FlagCounts counts={r.openFlags.movements} label={t('onMovements')} />
                  </>
                ),
              ],
            ]}
          />
          <details>
            <summary>{t('thresholds', { version: String(r.thresholds.version ?? '') })}</summary>
            <dl class="facts">
              {Object.entries(r.thresholds)
                .filter(([k]) => k !== 'version')
                .map(([k, v]) => (
                  <div key={k}>
                    <dt>{k}</dt>
                    <dd>{formatNumber(v, lang)}</dd>
                  </div>
                ))}
            </dl>
          </details>
        </>
      )}
    </section>
  );
}

export function BalancesScreen({ api }: { api: Api }) {
  const t = useRegT();
  return (
    <section aria-labelledby="balances-title">
      <h2 id="balances-title">{t('balancesTitle')}</h2>
      <div class="grid">
        <ConcessionBalancePanel api={api} />
        <ActorBalancePanel api={api} />
      </div>
    </section>
  );
}
