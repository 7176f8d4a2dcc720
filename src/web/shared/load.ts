/**
 * The one way the apps load data: run `load` when its inputs change (and on reload), keep the
 * last result while the next one comes (no flash of empty screens), and the error worded in the
 * reader's language (problems.ts) rather than the server's English.
 */
import { useEffect, useState } from 'preact/hooks';
import { useLang } from './i18n.js';
import { describeProblem } from './problems.js';

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload(): void;
}

/** Runs `load` when `deps` change (and on reload), keeping the last result and error. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const lang = useLang();
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (err: unknown) => live && setState((s) => ({ ...s, error: err, loading: false })),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return {
    data: state.data,
    // Worded at render, so a change of language rewords a standing error.
    error: state.error === undefined ? undefined : describeProblem(state.error, lang),
    loading: state.loading,
    reload: () => setTick((n) => n + 1),
  };
}
