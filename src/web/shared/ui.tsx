/**
 * Small pieces of markup that every app repeats, so they look and read the same everywhere (and the
 * tests and ui.css can rely on one shape).
 */
import type { ComponentChildren } from 'preact';
import { useLang } from './i18n.js';
import { severityWords, wordFor } from './words.js';

/**
 * A problem the person has to see: `<p class="problem" role="alert">`, or nothing at all when there
 * is no message (null, undefined, false or '').
 */
export function Problem(props: { children?: ComponentChildren }) {
  const message = props.children;
  if (message === null || message === undefined || message === false || message === '') return null;
  return (
    <p class="problem" role="alert">
      {props.children}
    </p>
  );
}

/**
 * A risk level or flag severity as a coloured badge (`span.badge.risk-<level>`, colours in ui.css)
 * with its word in the current language (the code itself when the word is unknown).
 */
export function SeverityBadge(props: { level: string }) {
  const lang = useLang();
  return <span class={`badge risk-${props.level}`}>{wordFor(severityWords[lang], props.level)}</span>;
}
