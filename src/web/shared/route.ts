/**
 * Addresses inside an app: the screen and what it shows live in the fragment ("#/lots/<id>",
 * "#/flags?severity=high"), so every screen and every lot has a URL, Back and Forward move
 * between them, a link opens in a new tab, and a deep link waits through sign-in (the sign-in
 * form does not navigate). The fragment, not the path, so the server serves one page per app
 * and works offline from the service worker's cache as it is.
 */
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  /** The path's segments, decoded: "#/lots/abc" → ["lots", "abc"]; [] for the app's home. */
  path: string[];
  query: URLSearchParams;
}

/** The route in an address fragment ("#/a/b?x=1"); anything else (an old "#flags") as "/flags". */
export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [pathPart = '', queryPart = ''] = raw.split('?', 2);
  // An older form of address ("#lot=<id>") is read as the route it meant.
  const legacy = /^([a-z-]+)=([^&/]+)$/i.exec(pathPart);
  const segments = legacy ? [legacy[1] as string, legacy[2] as string] : pathPart.split('/').filter(Boolean);
  return { path: segments.map(safeDecode), query: new URLSearchParams(queryPart) };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The fragment for a route: `href(['lots', id])` → "#/lots/<id>", with an optional query. */
export function href(path: readonly string[], query?: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') q.set(k, v);
  const qs = q.toString();
  return `#/${path.map(encodeURIComponent).join('/')}${qs ? `?${qs}` : ''}`;
}

/**
 * Goes to a route: a new history entry (Back returns), or `replace` for a change that is not a
 * place of its own (a filter typed letter by letter).
 */
export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) {
    history.replaceState(history.state, '', `${location.pathname}${location.search}${to}`);
    dispatchEvent(new HashChangeEvent('hashchange'));
  } else location.hash = to.slice(1);
}

/** The current route; re-renders on every change of the fragment (links, Back, navigate). */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const follow = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', follow);
    addEventListener('popstate', follow);
    return () => {
      removeEventListener('hashchange', follow);
      removeEventListener('popstate', follow);
    };
  }, []);
  return route;
}
