/**
 * Small pieces of markup that every app repeats, so they look and read the same everywhere (and the
 * tests and ui.css can rely on one shape).
 */
import type { ComponentChildren } from 'preact';

/**
 * A problem the person has to see: `<p class="problem" role="alert">`, or nothing at all when there
 * is no message (null, undefined, false or '').
 */
export function Problem(props: { children?: ComponentChildren }) {
  if (
    props.children === null ||
    props.children === undefined ||
    props.children === false ||
    props.children === ''
  )
    return null;
  return (
    <p class="problem" role="alert">
      {props.children}
    </p>
  );
}
