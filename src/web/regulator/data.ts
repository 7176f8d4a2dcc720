/** Reading the lists the console shows, whole (up to a bound), and the state screens share. */
import { useEffect, useState } from 'preact/hooks';
import { type Api, describeError } from '../shared/api.js';
import type { Feature, FeatureCollection } from './types.js';

/**
 * Every page of a GeoJSON list (Accept: application/geo+json): the next page is in the
 * `Link: <…>; rel="next"` header, since a FeatureCollection has no place for a cursor.
 */
export async function allFeatures<P>(api: Api, path: string, max = 5000): Promise<Feature<P>[]> {
  const features: Feature<P>[] = [];
  let next: string | null = `${path}${path.includes('?') ? '&' : '?'}limit=500`;
  while (next && features.length < max) {
    const res = await api.raw(next, { headers: { accept: 'application/geo+json' } });
    const page = (await res.json()) as FeatureCollection<P>;
    features.push(...page.features);
    const link = res.headers.get('link');
    next = link ? (/<([^>]+)>;\s*rel="next"/.exec(link)?.[1] ?? null) : null;
  }
  return features;
}

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload(): void;
}

/** Runs `load` when `deps` change (and on reload), keeping the last result and error. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (err: unknown) => live && setState((s) => ({ ...s, error: describeError(err), loading: false })),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return {
    data: state.data,
    error: state.error,
    loading: state.loading,
    reload: () => setTick((n) => n + 1),
  };
}

/** Today (UTC) as YYYY-MM-DD, shifted by `days`. */
export function utcDay(days = 0): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}
