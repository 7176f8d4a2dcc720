/**
 * What the OpenAPI document needs beyond what each route declares, so that strict linters
 * (Redocly's recommended rules, run in CI) and code generators take it as it is:
 * - `operationId` on every operation: a route may name its own; otherwise it is its method and
 *   path ("GET /v1/lots/{id}/provenance" → getLotsByIdProvenance), unique as they are and stable
 *   as long as the path is, so generated clients do not invent (and rename) methods.
 * - `servers`: where this deployment serves the API, as a URL relative to the document (OpenAPI
 *   3.1 §4.8.5: resolved against where the document was fetched): BASE_URL's path, "/" at the
 *   root. The same document is then right behind any host name a deployment is reached by.
 * - `security: []` on an operation that declares no requirement: one without `access()` takes
 *   no token (the middleware is what enforces it), so the document says it is public.
 * - the licence under which the API description is published.
 */

interface Operation {
  operationId?: string;
  security?: unknown[];
  [member: string]: unknown;
}
/** The members of an OpenAPI document this completes (the generator's own type has more). */
interface Document {
  info: object;
  paths?: object;
}

const methods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

const capitalised = (w: string) => (w ? (w[0] as string).toUpperCase() + w.slice(1) : w);

/** getLotsByIdProvenance for GET /v1/lots/{id}/provenance; the version prefix is left out. */
export function operationIdOf(method: string, path: string): string {
  const words = path
    .split('/')
    .filter((s) => s !== '' && s !== 'v1')
    .flatMap((segment) => {
      const param = /^\{(.+)\}$/.exec(segment);
      return (param ? `by-${param[1]}` : segment).split(/[^A-Za-z0-9]+/).filter(Boolean);
    });
  return method.toLowerCase() + words.map(capitalised).join('');
}

/** The licence of the API description: none has been chosen for the project yet. */
const license = { name: 'Proprietary (no licence granted yet)', identifier: 'LicenseRef-Proprietary' };

export function completeOpenApi<T extends Document>(doc: T, baseUrl: string): T {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Record<string, unknown>>)) {
    paths[path] = Object.fromEntries(
      Object.entries(item).map(([method, op]) => {
        if (!methods.has(method) || typeof op !== 'object' || op === null) return [method, op];
        const o = op as Operation;
        return [
          method,
          {
            ...o,
            operationId: o.operationId ?? operationIdOf(method, path),
            security: o.security ?? [],
          },
        ];
      }),
    );
  }
  return {
    ...doc,
    info: { license, ...doc.info },
    servers: [{ url: new URL(baseUrl).pathname, description: 'This deployment (relative to this document)' }],
    paths,
  };
}
