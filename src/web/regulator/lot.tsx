/**
 * One lot: its facts, its flags, and its provenance as a graph (lots as nodes, split / merge /
 * refine as edges, lots with unresolved flags bordered in red) beside its ledger events, each
 * with its inclusion proof on demand. The origins can be ringed on the map.
 */
import { useMemo, useState } from 'preact/hooks';
import { type Api, allPages, describeError, type FeatureCollection } from '../shared/api.js';
import type { Actor, EventProof, Flag, Lot, Provenance, RiskLevel } from '../shared/api-types.js';
import { latLon } from '../shared/evidence.js';
import { useLang } from '../shared/i18n.js';
import { useLoad } from '../shared/load.js';
import { riskColours } from '../shared/risk.js';
import { Problem, SeverityBadge } from '../shared/ui.js';
import { formWords, lotStatusWords, severityWords, wordFor } from '../shared/words.js';
import { FlagCard } from './flags.js';
import { type GraphNode, layoutDag } from './graph.js';
import {
  actorRoleWords,
  eventWords,
  formatDate,
  formatDateTime,
  formatDecimal,
  formatShortDateTime,
  type T,
  useRegT,
} from './i18n.js';
import type { Highlight } from './map.js';

function LotPicker(props: { lots: Lot[] | undefined; onOpenLot(id: string): void }) {
  const t = useRegT();
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <form
      class="lot-picker"
      onSubmit={(e) => {
        e.preventDefault();
        const q = draft.trim();
        const byCode = props.lots?.find((l) => l.code.toLowerCase() === q.toLowerCase());
        if (byCode) {
          setProblem(null);
          props.onOpenLot(byCode.id);
        } else if (/^[0-9a-f-]{36}$/i.test(q)) {
          setProblem(null);
          props.onOpenLot(q.toLowerCase());
        } else setProblem(t('lotUnknown'));
      }}
    >
      <label for="lot-pick">{t('lotPick')}</label>
      <div class="inline">
        <input
          id="lot-pick"
          list="lot-codes"
          value={draft}
          autoComplete="off"
          aria-describedby="lot-pick-help"
          onInput={(e) => setDraft((e.currentTarget as HTMLInputElement).value)}
        />
        <button type="submit">{t('show')}</button>
      </div>
      <datalist id="lot-codes">
        {(props.lots ?? []).slice(0, 1000).map((l) => (
          <option key={l.id} value={l.code} />
        ))}
      </datalist>
      <p class="hint" id="lot-pick-help">
        {t('lotPickHelp')}
      </p>
      <Problem>{problem}</Problem>
    </form>
  );
}

export function LotScreen(props: {
  api: Api;
  lotId: string | null;
  lots: Lot[] | undefined;
  version: number;
  onOpenLot(id: string): void;
  onHighlight(h: Highlight): void;
  onReviewed(): void;
}) {
  const t = useRegT();
  return (
    <section aria-labelledby="lot-title">
      <h2 id="lot-title" tabIndex={-1}>
        {t('lotTitle')}
      </h2>
      <LotPicker lots={props.lots} onOpenLot={props.onOpenLot} />
      {props.lotId ? (
        <LotDetail
          key={props.lotId}
          api={props.api}
          lotId={props.lotId}
          version={props.version}
          onOpenLot={props.onOpenLot}
          onHighlight={props.onHighlight}
          onReviewed={props.onReviewed}
        />
      ) : (
        <p>{t('noLotChosen')}</p>
      )}
    </section>
  );
}

interface Node extends GraphNode {
  lot: Lot | undefined;
  root: boolean;
}

function LotDetail(props: {
  api: Api;
  lotId: string;
  version: number;
  onOpenLot(id: string): void;
  onHighlight(h: Highlight): void;
  onReviewed(): void;
}) {
  const t = useRegT();
  const lang = useLang();
  const { api, lotId } = props;
  const [mapProblem, setMapProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const flags = useLoad(
    () => allPages<Flag>(api, `/v1/flags?subjectType=lot&subjectId=${lotId}`),
    [api, lotId, props.version],
  );
  const loaded = useLoad(async () => {
    const p = await api.get<Provenance>(`/v1/lots/${lotId}/provenance`);
    // A split's other parts and a merge's other inputs appear in the edges by id only.
    const known = new Set([p.lot.id, ...p.ancestors.map((l) => l.id), ...p.descendants.map((l) => l.id)]);
    const others = [...new Set(p.edges.flatMap((e) => [e.parentId, e.childId]))].filter(
      (id) => !known.has(id),
    );
    const extra = await Promise.all(
      others.slice(0, 40).map((id) => api.get<Lot>(`/v1/lots/${id}`).catch(() => undefined)),
    );
    // Who acted, by name (a regulator reads names, not ids).
    const actorIds = [...new Set(p.events.map((e) => e.actorId).filter((a): a is string => !!a))];
    const names = new Map<string, string>();
    await Promise.all(
      actorIds.slice(0, 30).map(async (id) => {
        const a = await api.get<Actor>(`/v1/actors/${id}`).catch(() => undefined);
        if (a) names.set(id, a.name);
      }),
    );
    return { p, extra: extra.filter((l): l is Lot => !!l), others, names };
  }, [api, lotId, props.version]);

  if (loaded.error && !loaded.data) {
    return <Problem>{loaded.error}</Problem>;
  }
  if (!loaded.data) return <p role="status">{lang === 'es' ? 'Cargando…' : 'Loading…'}</p>;
  const { p, extra, others, names } = loaded.data;
  const lot = p.lot;

  const showOnMap = async () => {
    try {
      const res = await api.raw(`/v1/lots/${lotId}/provenance?format=geojson`, {
        headers: { accept: 'application/geo+json' },
      });
      props.onHighlight({
        code: lot.code,
        collection: (await res.json()) as FeatureCollection<Record<string, unknown>>,
      });
    } catch (err) {
      setMapProblem(describeError(err));
    }
  };

  return (
    <div class="lot-detail">
      <Problem>{loaded.error}</Problem>
      <div class="card">
        <h3>
          {lot.code} <SeverityBadge level={lot.riskLevel} />
        </h3>
        <dl class="facts">
          <div>
            <dt>{t('lotStatus')}</dt>
            <dd>{lotStatusWords[lang][lot.status]}</dd>
          </div>
          <div>
            <dt>{t('form')}</dt>
            <dd>{wordFor(formWords[lang], lot.form)}</dd>
          </div>
          <div>
            <dt>{t('gross')}</dt>
            <dd>{formatDecimal(lot.grossWeightG, lang)} g</dd>
          </div>
          <div>
            <dt>{t('fineness')}</dt>
            <dd>{formatDecimal(lot.fineness, lang)} ‰</dd>
          </div>
          <div>
            <dt>{t('fine')}</dt>
            <dd>{formatDecimal(lot.fineWeightG, lang)} g</dd>
          </div>
          <div>
            <dt>{t('origin')}</dt>
            <dd>{lot.origin ? latLon(lot.origin) : t('noOrigin')}</dd>
          </div>
          <div>
            <dt>{t('extractedOn')}</dt>
            <dd>{formatDate(lot.extractedOn, lang)}</dd>
          </div>
        </dl>
        <div class="actions">
          <button type="button" class="secondary" onClick={() => void showOnMap()}>
            {t('showOnMap')}
          </button>
        </div>
        <Problem>{mapProblem}</Problem>
      </div>
      <section aria-labelledby="lot-flags-title">
        <h3 id="lot-flags-title">{t('flagsOfLot')}</h3>
        {notice && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}
        <Problem>{flags.error}</Problem>
        {flags.data?.length === 0 && <p>{t('noneFlags')}</p>}
        {flags.data?.map((f) => (
          <FlagCard
            key={f.id}
            api={api}
            flag={f}
            subject={{ kind: 'lot', code: lot.code }}
            inLot
            onOpenLot={props.onOpenLot}
            onReviewed={(message) => {
              setNotice(message);
              props.onReviewed();
            }}
          />
        ))}
      </section>
      <div class="provenance-layout">
        <ProvenanceGraph p={p} extra={extra} others={others} t={t} onOpenLot={props.onOpenLot} />
        <EventList api={api} p={p} extra={extra} names={names} />
      </div>
    </div>
  );
}

const edgeDash: Record<string, string | undefined> = { split: undefined, merge: '7 4', refine: '2 4' };

function ProvenanceGraph(props: {
  p: Provenance;
  extra: Lot[];
  others: string[];
  t: T;
  onOpenLot(id: string): void;
}) {
  const { p, t } = props;
  const lang = useLang();
  const nodes = useMemo(() => {
    const byId = new Map<string, Node>();
    const add = (lot: Lot, root = false) => byId.set(lot.id, { id: lot.id, label: lot.code, lot, root });
    add(p.lot, true);
    for (const l of [...p.ancestors, ...p.descendants, ...props.extra]) if (!byId.has(l.id)) add(l);
    for (const id of props.others) {
      if (!byId.has(id)) byId.set(id, { id, label: id.slice(0, 8), lot: undefined, root: false });
    }
    return [...byId.values()];
  }, [p, props.extra, props.others]);
  const layout = useMemo(() => layoutDag(nodes, p.edges), [nodes, p.edges]);
  const at = new Map(layout.nodes.map((n) => [n.node.id, n]));
  const { nodeWidth: w, nodeHeight: h } = layout;
  // Lots with unresolved flags, from the provenance's own flag list (inherited copies included).
  const unresolved = new Map<string, number>();
  for (const f of p.flags) {
    if (f.status === 'open' || f.status === 'escalated')
      unresolved.set(f.subjectId, (unresolved.get(f.subjectId) ?? 0) + 1);
  }
  const riskOf = (n: Node): RiskLevel => n.lot?.riskLevel ?? 'none';

  return (
    <section class="graph" aria-labelledby="graph-title">
      <h3 id="graph-title">{t('provenance')}</h3>
      <p class="hint" id="graph-help">
        {t('graphHelp')}
      </p>
      <ul class="graph-key" aria-hidden="true">
        {(['split', 'merge', 'refine'] as const).map((op) => (
          <li key={op}>
            <svg width="40" height="10" role="presentation">
              <line
                x1="0"
                y1="5"
                x2="40"
                y2="5"
                stroke="#333"
                stroke-width="2"
                stroke-dasharray={edgeDash[op]}
              />
            </svg>{' '}
            {t(op)}
          </li>
        ))}
      </ul>
      <figure class="graph-scroll" aria-describedby="graph-help">
        <figcaption class="visually-hidden">
          {t('graphLabel', { code: p.lot.code, n: nodes.length })}
        </figcaption>
        <svg
          class="provenance-graph"
          width={layout.width}
          height={layout.height}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
        >
          <title>{t('graphLabel', { code: p.lot.code, n: nodes.length })}</title>
          <defs>
            <marker
              id="arrow"
              viewBox="0 0 10 10"
              refX="10"
              refY="5"
              markerWidth="8"
              markerHeight="8"
              orient="auto"
            >
              <path d="M0,0 L10,5 L0,10 z" fill="#333" />
            </marker>
          </defs>
          {p.edges.map((e) => {
            const a = at.get(e.parentId);
            const b = at.get(e.childId);
            if (!a || !b) return null;
            const x1 = a.x + w;
            const y1 = a.y + h / 2;
            const x2 = b.x;
            const y2 = b.y + h / 2;
            const mx = (x1 + x2) / 2;
            return (
              <g key={`${e.parentId}-${e.childId}`} class={`edge edge-${e.operation}`}>
                <path
                  d={`M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2 - 2},${y2}`}
                  fill="none"
                  stroke="#333"
                  stroke-width="2"
                  stroke-dasharray={edgeDash[e.operation]}
                  marker-end="url(#arrow)"
                />
                <title>{`${t(e.operation)}: ${formatDecimal(e.fineWeightG, lang)} g`}</title>
              </g>
            );
          })}
          {layout.nodes.map(({ node: n, x, y }) => {
            const flagged = unresolved.get(n.id) ?? 0;
            const risk = riskOf(n);
            const detail = n.lot
              ? `${formatDecimal(n.lot.fineWeightG, lang)} g · ${lotStatusWords[lang][n.lot.status]}`
              : '';
            // Named by its visible text (WCAG 2.5.3); what the colours say is its description.
            const description = t('nodeLabel', { risk: severityWords[lang][risk], flags: flagged });
            const open = () => n.id !== p.lot.id && props.onOpenLot(n.id);
            return (
              // biome-ignore lint/a11y/useSemanticElements: an SVG group has no <button>; it behaves as one
              <g
                key={n.id}
                class={`node${n.root ? ' root' : ''}${flagged ? ' flagged' : ''}`}
                data-lot-id={n.id}
                data-flags={flagged}
                transform={`translate(${x},${y})`}
                role="button"
                tabIndex={0}
                aria-describedby={`node-desc-${n.id}`}
                aria-current={n.root ? 'true' : undefined}
                onClick={open}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    open();
                  }
                }}
              >
                <rect
                  width={w}
                  height={h}
                  rx="6"
                  fill={n.root ? '#fff6d6' : '#fff'}
                  stroke={flagged ? '#d00000' : '#333'}
                  stroke-width={flagged ? 5 : n.root ? 3 : 2}
                />
                <rect x="0" y="0" width="10" height={h} rx="3" fill={riskColours[risk]} />
                <desc id={`node-desc-${n.id}`}>{description}</desc>
                <text fill="#111">
                  <tspan x="18" y="24" font-size="15" font-weight="700">{`${n.label} `}</tspan>
                  <tspan x="18" y="45" font-size="13" fill="#333">
                    {detail}
                  </tspan>
                </text>
                {flagged > 0 && (
                  // An exclamation mark drawn, not written: the node's name stays its visible text.
                  <g class="flag-badge" transform={`translate(${w - 14},14)`}>
                    <circle r="12" fill="#d00000" stroke="#fff" stroke-width="2" />
                    <rect x="-2" y="-8" width="4" height="10" rx="1" fill="#fff" />
                    <circle cy="6" r="2.2" fill="#fff" />
                  </g>
                )}
              </g>
            );
          })}
        </svg>
      </figure>
    </section>
  );
}

function EventList(props: { api: Api; p: Provenance; extra: Lot[]; names: Map<string, string> }) {
  const t = useRegT();
  const lang = useLang();
  const { p } = props;
  const codes = new Map<string, string>();
  for (const l of [p.lot, ...p.ancestors, ...p.descendants, ...props.extra]) codes.set(l.id, l.code);
  const [proofs, setProofs] = useState<Record<string, string>>({});
  const proof = async (id: string) => {
    try {
      const r = await props.api.get<EventProof>(`/v1/ledger/events/${id}/proof`);
      setProofs((s) => ({
        ...s,
        [id]: t('proofOk', {
          index: r.leafIndex,
          size: r.treeSize,
          steps: r.proof.length,
          date: formatDateTime(r.head.timestamp, lang),
        }),
      }));
    } catch (err) {
      setProofs((s) => ({ ...s, [id]: describeError(err) }));
    }
  };
  return (
    <section class="events" aria-labelledby="events-title">
      <h3 id="events-title">{t('events')}</h3>
      {p.events.length === 0 ? (
        <p>{t('noEvents')}</p>
      ) : (
        <ol class="event-list">
          {p.events.map((e) => {
            const type = wordFor(eventWords[lang], e.type);
            const lotCode =
              e.subjectId === p.lot.id ? t('thisLot') : (codes.get(e.subjectId) ?? e.subjectId.slice(0, 8));
            const actor =
              e.actorId && props.names.has(e.actorId)
                ? props.names.get(e.actorId)
                : `${wordFor(actorRoleWords[lang], e.actorRole)}${e.actorId ? ` ${e.actorId.slice(0, 8)}` : ''}`;
            return (
              <li key={e.id}>
                <div class="event-what">
                  <strong title={e.type}>{type}</strong> <span class="lot-code">{lotCode}</span>
                </div>
                <div class="event-who">
                  <time dateTime={e.occurredAt}>{formatShortDateTime(e.occurredAt, lang)}</time> · {actor}
                </div>
                {proofs[e.id] ? (
                  <p class="hint" role="status">
                    {proofs[e.id]}
                  </p>
                ) : (
                  <button
                    type="button"
                    class="secondary small"
                    aria-label={t('proofOf', { type })}
                    onClick={() => void proof(e.id)}
                  >
                    {t('proof')}
                  </button>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
