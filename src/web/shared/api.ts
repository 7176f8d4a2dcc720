import { noteReachable } from './reachability.js';
/**
 * The API as the web apps call it: same origin, bearer token, JSON in and out, RFC 9457
 * problems turned into `ApiProblem` so that screens can show the server's own words (and the
 * failing fields) instead of a status code.
 */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
  [extra: string]: unknown;
}

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly problem: ProblemBody,
  ) {
    super(problem.detail || problem.title);
  }
  /** The detail and each failing field, for a person to read. */
  describe(): string {
    const fields = this.problem.errors?.map((e) => `${e.field}: ${e.message}`) ?? [];
    return [this.problem.detail || this.problem.title, ...fields].join(' — ');
  }
}

/** The request never reached the server (no signal, server down). */
export class NetworkError extends Error {}

export interface Api {
  get<T>(path: string, init?: { accept?: string }): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  /** The raw response (downloads: CSV, PNG, HTML labels). */
  raw(path: string, init?: RequestInit): Promise<Response>;
}

export function createApi(token: () => string | undefined, onUnauthenticated?: () => void): Api {
  async function raw(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const t = token();
    if (t) headers.set('authorization', `Bearer ${t}`);
    let res: Response;
    try {
      res = await fetch(path, { ...init, headers });
    } catch (err) {
      // An aborted wait (the caller's deadline) says as much about the signal as a failed fetch.
      noteReachable(false);
      throw new NetworkError(err instanceof Error ? err.message : String(err));
    }
    noteReachable(true);
    if (!res.ok) {
      let body: ProblemBody;
      const text = await res.text();
      try {
        body = JSON.parse(text) as ProblemBody;
      } catch {
        body = { type: 'about:blank', title: res.statusText, status: res.status, detail: text.slice(0, 300) };
      }
      if (res.status === 401) onUnauthenticated?.();
      throw new ApiProblem(res.status, body);
    }
    return res;
  }
  const json = async <T>(path: string, method: string, body?: unknown, accept = 'application/json') => {
    const res = await raw(path, {
      method,
      headers: { accept, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return (await res.json()) as T;
  };
  return {
    get: (path, init) => json(path, 'GET', undefined, init?.accept),
    post: (path, body) => json(path, 'POST', body),
    patch: (path, body) => json(path, 'PATCH', body),
    raw,
  };
}

/** Every page of a cursor-paginated list ({items, nextCursor}), up to `max` items. */
export async function allPages<T>(api: Api, path: string, max = 10_000): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const url: string = `${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: { items: T[]; nextCursor: string | null } = await api.get(url);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < max);
  return items;
}

/** A GeoJSON feature as the API writes it (geometry left loose: the map draws it as is). */
export interface Feature<P> {
  type: 'Feature';
  id?: string;
  geometry: { type: string; coordinates: unknown };
  properties: P;
}
export interface FeatureCollection<P> {
  type: 'FeatureCollection';
  features: Feature<P>[];
}

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
