/**
 * The arithmetic of an operation on gold, as a table read before confirming: one row per lot or
 * part, then the totals and what is left, each figure right-aligned under its column. Split and
 * merge draw theirs with it; a row whose figures would create gold is marked `over`.
 */
import type { ComponentChildren } from 'preact';
import { ScrollArea } from '../../shared/table.js';

/** One row: its heading (a lot's code, "Parte 1", "Total") and its figures, already worded. */
export interface ArithmeticRow {
  key: string;
  head: ComponentChildren;
  cells: string[];
  /** The row shows gold that would be created (drawn as a problem). */
  over?: boolean;
}

export function ArithmeticTable(props: {
  caption: string;
  testId: string;
  /** The heading of the rows' column, then of each figure's. */
  rowsHeading: string;
  columns: string[];
  rows: ArithmeticRow[];
  totals: ArithmeticRow[];
}) {
  const line = (r: ArithmeticRow) => (
    <tr key={r.key} class={r.over ? 'over' : undefined}>
      <th scope="row">{r.head}</th>
      {r.cells.map((c, i) => (
        <td key={i} class="num">
          {c}
        </td>
      ))}
    </tr>
  );
  return (
    <ScrollArea label={props.caption}>
      <table class="arith" data-testid={props.testId}>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.rowsHeading}</th>
            {props.columns.map((c) => (
              <th scope="col" class="num" key={c}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{props.rows.map(line)}</tbody>
        <tfoot>{props.totals.map(line)}</tfoot>
      </table>
    </ScrollArea>
  );
}
