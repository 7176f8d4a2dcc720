/**
 * A lot's provenance as a graph: lots as nodes, split / merge / refine as edges, lots with
 * unresolved flags bordered in red with a drawn exclamation mark. Each node is a link to its
 * lot's page ("#/lots/<id>"), so it opens in a new tab as any link does.
 */
import { useMemo } from 'preact/hooks';
import type { Lot, Provenance, RiskLevel } from '../shared/api-types.js';
import { useLang } from '../shared/i18n.js';
import { formatGrams } from '../shared/numbers.js';
import { riskColours } from '../shared/risk.js';
import { href } from '../shared/route.js';
import { lotStatusWords, severityWords } from '../shared/words.js';
import { type GraphNode, layoutDag, unresolvedByLot } from './graph.js';
import type { T } from './i18n.js';

interface Node extends GraphNode {
  lot: Lot | undefined;
  root: boolean;
}

const edgeDash: Record<string, string | undefined> = { split: undefined, merge: '7 4', refine: '2 4' };

export function ProvenanceGraph(props: { p: Provenance; extra: Lot[]; others: string[]; t: T }) {
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
  // Lots with unresolved flags: the provenance's flags, and those of the lots fetched beside it.
  const unresolved = useMemo(
    () =>
      unresolvedByLot(
        p.flags,
        nodes.flatMap((n) => (n.lot ? [n.lot] : [])),
      ),
    [p.flags, nodes],
  );
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
                <title>{`${t(e.operation)}: ${formatGrams(e.fineWeightG, lang)}`}</title>
              </g>
            );
          })}
          {layout.nodes.map(({ node: n, x, y }) => {
            const flagged = unresolved.get(n.id) ?? 0;
            const risk = riskOf(n);
            const detail = n.lot
              ? `${formatGrams(n.lot.fineWeightG, lang)} · ${lotStatusWords[lang][n.lot.status]}`
              : '';
            // Named by its visible text (WCAG 2.5.3); what the colours say is its description.
            const description = t('nodeLabel', { risk: severityWords[lang][risk], flags: flagged });
            return (
              <a
                key={n.id}
                class={`node${n.root ? ' root' : ''}${flagged ? ' flagged' : ''}`}
                data-lot-id={n.id}
                data-flags={flagged}
                href={href(['lots', n.id])}
                aria-describedby={`node-desc-${n.id}`}
                aria-current={n.root ? 'page' : undefined}
              >
                <g transform={`translate(${x},${y})`}>
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
              </a>
            );
          })}
        </svg>
      </figure>
    </section>
  );
}
