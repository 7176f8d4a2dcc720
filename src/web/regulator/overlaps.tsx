/**
 * Overlap cases: the queue (GET /v1/overlaps by status) and a case's page — the two rights, their
 * holders and the overlap on a map, the mediation and decision forms (POST /v1/overlaps/:id/…).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  type OverlapCaseStatus,
  overlapCaseStatuses,
  overlapOutcomes,
} from '../../domain/shared/vocabulary.js';
import { type Api, answer } from '../shared/api.js';
import type { OverlapCase, OverlapCaseDetail, OverlapDecision } from '../shared/api-types.js';
import { useLang } from '../shared/i18n.js';
import { useLoad } from '../shared/load.js';
import { createMap, fitToData, L } from '../shared/map.js';
import { useDescribeProblem } from '../shared/problems.js';
import { href } from '../shared/route.js';
import { Problem } from '../shared/ui.js';
import {
  concessionKindWords,
  overlapCaseStatusWords,
  overlapFoundAtWords,
  overlapOutcomeWords,
  wordFor,
} from '../shared/words.js';
import { formatDate, formatDecimal } from './i18n.js';
import { type OverlapT, useOverlapT } from './overlaps-i18n.js';

export function OverlapsScreen(props: { api: Api; caseId: string | null; onChanged(): void }) {
  return props.caseId ? (
    <OverlapCasePage api={props.api} id={props.caseId} onChanged={props.onChanged} />
  ) : (
    <OverlapQueue api={props.api} />
  );
}

function OverlapQueue({ api }: { api: Api }) {
  const t = useOverlapT();
  const lang = useLang();
  const [status, setStatus] = useState<OverlapCaseStatus | ''>('open');
  const [shown, setShown] = useState<OverlapCaseStatus | ''>('open');
  const [extra, setExtra] = useState<OverlapCase[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const page = useLoad(async () => {
    const p = await answer(
      api.GET('/v1/overlaps', { params: { query: { limit: 50, ...(shown ? { status: shown } : {}) } } }),
    );
    setExtra([]);
    setCursor(p.nextCursor);
    return p;
  }, [api, shown]);
  const describe = useDescribeProblem();
  const [problem, setProblem] = useState<string | null>(null);
  const more = async () => {
    if (!cursor) return;
    try {
      const p = await answer(
        api.GET('/v1/overlaps', {
          params: { query: { limit: 50, cursor, ...(shown ? { status: shown } : {}) } },
        }),
      );
      setExtra((x) => [...x, ...p.items]);
      setCursor(p.nextCursor);
    } catch (err) {
      setProblem(describe(err));
    }
  };
  const cases = [...(page.data?.items ?? []), ...extra];
  return (
    <section aria-labelledby="overlaps-title">
      <h2 id="overlaps-title">{t('overlapsTitle')}</h2>
      <p class="hint">{t('overlapsHelp')}</p>
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          setShown(status);
        }}
      >
        <div class="filters">
          <div>
            <label for="overlaps-status">{t('status')}</label>
            <select
              id="overlaps-status"
              value={status}
              onChange={(e) =>
                setStatus((e.currentTarget as HTMLSelectElement).value as OverlapCaseStatus | '')
              }
            >
              <option value="">{t('any')}</option>
              {overlapCaseStatuses.map((s) => (
                <option key={s} value={s}>
                  {overlapCaseStatusWords[lang][s]}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div class="actions">
          <button type="submit">{t('show')}</button>
        </div>
      </form>
      <Problem>{page.error ?? problem}</Problem>
      {page.data && cases.length === 0 && <p>{t('noCases')}</p>}
      {cases.length > 0 && (
        <div class="table-wrap">
          <table class="balance">
            <caption>{t('casesCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('colRights')}</th>
                <th scope="col">{t('colHolders')}</th>
                <th scope="col" class="num">
                  {t('colArea')}
                </th>
                <th scope="col">{t('colStatus')}</th>
                <th scope="col">{t('colCase')}</th>
              </tr>
            </thead>
            <tbody>
              {cases.map((k) => (
                <tr key={k.id}>
                  <th scope="row">
                    {k.concession.code} / {k.other.code}
                  </th>
                  <td>
                    {k.concession.holderName ?? t('noHolder')} / {k.other.holderName ?? t('noHolder')}
                  </td>
                  <td class="num">{formatDecimal(k.areaHa, lang)}</td>
                  <td>{overlapCaseStatusWords[lang][k.status]}</td>
                  <td>
                    <a href={href(['overlaps', k.id])}>
                      {t('openCase', { code: `${k.concession.code} / ${k.other.code}` })}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor && (
        <div class="actions">
          <button type="button" onClick={() => void more()}>
            {t('more')}
          </button>
        </div>
      )}
    </section>
  );
}

const pct = (share: string | null, lang: string) =>
  share === null
    ? '—'
    : Number(share).toLocaleString(lang === 'es' ? 'es-PE' : 'en-GB', {
        style: 'percent',
        maximumFractionDigits: 1,
      });

function OverlapCasePage(props: { api: Api; id: string; onChanged(): void }) {
  const t = useOverlapT();
  const lang = useLang();
  const [version, setVersion] = useState(0);
  const loaded = useLoad(
    () => answer(props.api.GET('/v1/overlaps/{id}', { params: { path: { id: props.id } } })),
    [props.api, props.id, version],
  );
  const k = loaded.data;
  const changed = () => {
    setVersion((n) => n + 1);
    props.onChanged();
  };
  const open = k && (k.status === 'open' || k.status === 'in_mediation');
  return (
    <section aria-labelledby="overlap-title">
      <p>
        <a href={href(['overlaps'])}>{t('backToQueue')}</a>
      </p>
      <Problem>{loaded.error}</Problem>
      {k && (
        <>
          <h2 id="overlap-title" tabIndex={-1}>
            {t('caseTitle', { a: k.concession.code, b: k.other.code })}
          </h2>
          <dl class="facts">
            <dt>{t('status')}</dt>
            <dd>{overlapCaseStatusWords[lang][k.status]}</dd>
            <dt>{t('foundAt')}</dt>
            <dd>{overlapFoundAtWords[lang][k.foundAt]}</dd>
            <dt>{t('areaHa')}</dt>
            <dd>
              {t('hectares', { n: formatDecimal(k.areaHa, lang) })} ·{' '}
              {t('shareOf', { share: pct(k.concession.share, lang), code: k.concession.code })} ·{' '}
              {t('shareOf', { share: pct(k.other.share, lang), code: k.other.code })}
            </dd>
            {[k.concession, k.other].flatMap((r) => [
              <dt key={`${r.id}-t`}>
                {r.code} · {wordFor(concessionKindWords[lang], r.kind)}
              </dt>,
              <dd key={`${r.id}-d`}>
                {r.name} — {t('holder')}: {r.holderName ?? t('noHolder')} ({formatDecimal(r.areaHa, lang)} ha)
              </dd>,
            ])}
            {k.exception && (
              <>
                <dt>{t('exception')}</dt>
                <dd>{k.exception.legalBasis}</dd>
              </>
            )}
            {k.mediationNote && (
              <>
                <dt>{t('mediationNote')}</dt>
                <dd>{k.mediationNote}</dd>
              </>
            )}
            {k.decision && (
              <>
                <dt>{t('decision')}</dt>
                <dd>
                  {overlapOutcomeWords[lang][k.decision.outcome]} — {k.decision.authority},{' '}
                  {k.decision.resolution} ({formatDate(k.decision.decidedOn, lang)})
                  {k.decision.note ? `. ${k.decision.note}` : ''}
                </dd>
              </>
            )}
          </dl>
          <OverlapMap k={k} t={t} />
          {k.status === 'open' && <MediationForm api={props.api} id={k.id} onDone={changed} />}
          {open ? <DecisionForm api={props.api} k={k} onDone={changed} /> : <p>{t('closedCase')}</p>}
        </>
      )}
    </section>
  );
}

function OverlapMap({ k, t }: { k: OverlapCaseDetail; t: OverlapT }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const map = createMap(el.current);
    const layers = [
      L.geoJSON(k.concession.geometry, { style: { color: '#1b5e20', weight: 2, fillOpacity: 0.15 } }),
      L.geoJSON(k.other.geometry, { style: { color: '#0d47a1', weight: 2, fillOpacity: 0.15 } }),
      L.geoJSON(k.geometry, {
        style: { color: '#b71c1c', weight: 3, fillColor: '#d32f2f', fillOpacity: 0.5 },
      }),
    ];
    for (const layer of layers) layer.addTo(map);
    fitToData(map, layers);
    return () => map.remove();
  }, [k]);
  return (
    <figure>
      <div ref={el} class="overlap-map" role="application" aria-label={t('mapLabel')} />
      <figcaption class="hint">{t('mapHint', { a: k.concession.code, b: k.other.code })}</figcaption>
    </figure>
  );
}

function MediationForm(props: { api: Api; id: string; onDone(): void }) {
  const t = useOverlapT();
  const describe = useDescribeProblem();
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="card"
      aria-labelledby="mediation-title"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        try {
          await answer(
            props.api.POST('/v1/overlaps/{id}/mediation', {
              params: { path: { id: props.id } },
              body: { note },
            }),
          );
          setProblem(null);
          props.onDone();
        } catch (err) {
          setProblem(describe(err));
        } finally {
          setBusy(false);
        }
      }}
    >
      <h3 id="mediation-title">{t('mediationTitle')}</h3>
      <label for="mediation-note">{t('note')}</label>
      <textarea
        id="mediation-note"
        required
        minLength={3}
        value={note}
        onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)}
      />
      <Problem>{problem}</Problem>
      <div class="actions">
        <button type="submit" disabled={busy}>
          {t('startMediation')}
        </button>
      </div>
    </form>
  );
}

function DecisionForm(props: { api: Api; k: OverlapCaseDetail; onDone(): void }) {
  const t = useOverlapT();
  const lang = useLang();
  const describe = useDescribeProblem();
  const [outcome, setOutcome] = useState<(typeof overlapOutcomes)[number]>('coexistence');
  const [authority, setAuthority] = useState('');
  const [resolution, setResolution] = useState('');
  const [decidedOn, setDecidedOn] = useState('');
  const [note, setNote] = useState('');
  const [affected, setAffected] = useState(props.k.concession.id);
  const [geometry, setGeometry] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const namesRight = outcome === 'right_reduced' || outcome === 'right_annulled';
  const submit = async () => {
    let shape: unknown;
    if (outcome === 'right_reduced') {
      try {
        shape = JSON.parse(geometry);
      } catch {
        setProblem(t('badGeometry'));
        return;
      }
    }
    setBusy(true);
    try {
      await answer(
        props.api.POST('/v1/overlaps/{id}/decision', {
          params: { path: { id: props.k.id } },
          body: {
            outcome,
            authority,
            resolution,
            decidedOn,
            ...(note.trim() ? { note } : {}),
            ...(namesRight ? { concessionId: affected } : {}),
            // The server checks the geometry (RFC 7946, valid, MultiPolygon); the form only parsed it.
            ...(outcome === 'right_reduced' ? { geometry: shape as OverlapDecision['geometry'] } : {}),
          },
        }),
      );
      setProblem(null);
      setDone(true);
      props.onDone();
    } catch (err) {
      setProblem(describe(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      class="card"
      aria-labelledby="decision-title"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3 id="decision-title">{t('decisionTitle')}</h3>
      <div class="filters">
        <div>
          <label for="decision-outcome">{t('outcome')}</label>
          <select
            id="decision-outcome"
            value={outcome}
            onChange={(e) =>
              setOutcome((e.currentTarget as HTMLSelectElement).value as (typeof overlapOutcomes)[number])
            }
          >
            {overlapOutcomes.map((o) => (
              <option key={o} value={o}>
                {overlapOutcomeWords[lang][o]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="decision-authority">{t('authority')}</label>
          <input
            id="decision-authority"
            required
            value={authority}
            onInput={(e) => setAuthority((e.currentTarget as HTMLInputElement).value)}
          />
        </div>
        <div>
          <label for="decision-resolution">{t('resolution')}</label>
          <input
            id="decision-resolution"
            required
            value={resolution}
            onInput={(e) => setResolution((e.currentTarget as HTMLInputElement).value)}
          />
        </div>
        <div>
          <label for="decision-date">{t('decidedOn')}</label>
          <input
            id="decision-date"
            type="date"
            required
            value={decidedOn}
            onInput={(e) => setDecidedOn((e.currentTarget as HTMLInputElement).value)}
          />
        </div>
        {namesRight && (
          <div>
            <label for="decision-affected">{t('affected')}</label>
            <select
              id="decision-affected"
              value={affected}
              onChange={(e) => setAffected((e.currentTarget as HTMLSelectElement).value)}
            >
              {[props.k.concession, props.k.other].map((r) => (
                <option key={r.id} value={r.id}>
                  {r.code} · {r.name}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      {outcome === 'right_reduced' && (
        <>
          <label for="decision-geometry">{t('reducedGeometry')}</label>
          <textarea
            id="decision-geometry"
            required
            rows={4}
            aria-describedby="decision-geometry-help"
            value={geometry}
            onInput={(e) => setGeometry((e.currentTarget as HTMLTextAreaElement).value)}
          />
          <p class="hint" id="decision-geometry-help">
            {t('reducedHelp')}
          </p>
        </>
      )}
      <label for="decision-note">{t('note')}</label>
      <textarea
        id="decision-note"
        value={note}
        onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)}
      />
      <Problem>{problem}</Problem>
      {done && <p role="status">{t('decided')}</p>}
      <div class="actions">
        <button type="submit" disabled={busy}>
          {t('decide')}
        </button>
      </div>
    </form>
  );
}
