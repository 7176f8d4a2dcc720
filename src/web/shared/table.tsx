/** Tables that fit a phone. */
import type { ComponentChildren } from 'preact';

/**
 * A table that may scroll sideways on a narrow screen: a named region that takes the keyboard
 * focus, so that its hidden columns can be reached with the arrow keys.
 */
export function ScrollArea(props: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be focusable to be scrolled by keyboard (WCAG 2.1.1)
    <section class="table-wrap" aria-label={props.label} tabIndex={0}>
      {props.children}
    </section>
  );
}
