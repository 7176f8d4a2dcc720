/**
 * A simple layered layout of a provenance DAG: a lot's column is its generation (the longest
 * chain of operations leading to it within the graph), its row is ordered by the mean row of its
 * parents (one pass, which untangles most splits and merges), then by code.
 */
export interface GraphNode {
  id: string;
  label: string;
}
export interface GraphEdge {
  parentId: string;
  childId: string;
  operation: string;
}
interface PlacedNode<N extends GraphNode> {
  node: N;
  column: number;
  row: number;
  x: number;
  y: number;
}
export interface Layout<N extends GraphNode> {
  nodes: PlacedNode<N>[];
  width: number;
  height: number;
  nodeWidth: number;
  nodeHeight: number;
}

const nodeWidth = 196;
const nodeHeight = 58;
const columnGap = 90;
const rowGap = 26;
const margin = 16;

export function layoutDag<N extends GraphNode>(nodes: N[], edges: GraphEdge[]): Layout<N> {
  const ids = new Set(nodes.map((n) => n.id));
  const parents = new Map<string, string[]>();
  for (const e of edges) {
    if (!ids.has(e.parentId) || !ids.has(e.childId) || e.parentId === e.childId) continue;
    const ps = parents.get(e.childId);
    if (ps) ps.push(e.parentId);
    else parents.set(e.childId, [e.parentId]);
  }
  // Generation by longest path, memoised; a cycle (which a provenance never has) is cut.
  const column = new Map<string, number>();
  const visiting = new Set<string>();
  const columnOf = (id: string): number => {
    const known = column.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    const c = Math.max(-1, ...(parents.get(id) ?? []).map(columnOf)) + 1;
    visiting.delete(id);
    column.set(id, c);
    return c;
  };
  const byColumn: N[][] = [];
  for (const n of nodes) {
    const c = columnOf(n.id);
    const col = byColumn[c];
    if (col) col.push(n);
    else byColumn[c] = [n];
  }
  const row = new Map<string, number>();
  for (const col of byColumn) {
    if (!col) continue;
    const key = (n: N) => {
      const ps = (parents.get(n.id) ?? []).map((p) => row.get(p)).filter((r): r is number => r !== undefined);
      return ps.length ? ps.reduce((a, b) => a + b, 0) / ps.length : Number.POSITIVE_INFINITY;
    };
    col.sort((a, b) => key(a) - key(b) || a.label.localeCompare(b.label));
    col.forEach((n, i) => void row.set(n.id, i));
  }
  const rows = Math.max(1, ...byColumn.map((c) => c?.length ?? 0));
  const columns = Math.max(1, byColumn.length);
  const height = margin * 2 + rows * nodeHeight + (rows - 1) * rowGap;
  const placed: PlacedNode<N>[] = [];
  byColumn.forEach((col, c) => {
    if (!col) return;
    // Each column centred vertically, so a lone lot sits level with the middle of its parts.
    const offset = ((rows - col.length) * (nodeHeight + rowGap)) / 2;
    col.forEach((n, r) => {
      placed.push({
        node: n,
        column: c,
        row: r,
        x: margin + c * (nodeWidth + columnGap),
        y: margin + offset + r * (nodeHeight + rowGap),
      });
    });
  });
  return {
    nodes: placed,
    width: margin * 2 + columns * nodeWidth + (columns - 1) * columnGap,
    height,
    nodeWidth,
    nodeHeight,
  };
}

/** A flag as the provenance and the lots carry it: enough to tell whether it still weighs. */
interface FlagMark {
  status: string;
}

const weighs = (f: FlagMark) => f.status === 'open' || f.status === 'escalated';

/**
 * Unresolved flags per lot of a provenance graph, for the red border: the provenance's own flag
 * list covers the lot, its ancestors and descendants, but a split's other parts and a merge's
 * other inputs come in as lots fetched one by one, whose flags they carry themselves; a lot
 * counts whichever source knows more.
 */
export function unresolvedByLot(
  provenanceFlags: (FlagMark & { subjectId: string })[],
  lots: { id: string; flags: FlagMark[] }[],
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of provenanceFlags) {
    if (weighs(f)) counts.set(f.subjectId, (counts.get(f.subjectId) ?? 0) + 1);
  }
  for (const l of lots) {
    const own = l.flags.filter(weighs).length;
    if (own > (counts.get(l.id) ?? 0)) counts.set(l.id, own);
  }
  return counts;
}
