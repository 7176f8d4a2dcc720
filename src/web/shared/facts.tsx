/**
 * Facts about one thing as a description list (`dl.facts`): a label and its value, in a grid that
 * wraps from one column on a phone to several on a desktop.
 */
import type { ComponentChildren } from 'preact';

export function Facts(props: { items: [label: string, value: ComponentChildren][] }) {
  return (
    <dl class="facts">
      {props.items.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
