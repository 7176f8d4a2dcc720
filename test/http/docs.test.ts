import { beforeAll, describe, expect, it } from 'vitest';
import { type TestContext, testApp } from '../helpers/app.js';

let t: TestContext;
beforeAll(async () => {
  t = await testApp();
});

describe('API documentation', () => {
  it('serves an OpenAPI 3.1 document generated from the validating schemas', async () => {
    const res = await t.call('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const paths = Object.keys(res.body.paths);
    for (const p of [
      '/v1/actors',
      '/v1/actors/{id}',
      '/v1/actors/{id}/registrations',
      '/v1/concessions',
      '/v1/concessions/{id}',
      '/v1/concessions/{id}/operators',
      '/v1/zones',
      '/v1/zones/{id}',
      '/v1/checkpoints',
      '/v1/checkpoints/{id}',
      '/v1/lots',
      '/v1/lots/{id}/provenance',
      '/v1/scans',
      '/v1/movements',
      '/v1/inspections',
      '/v1/sync',
      '/v1/flags',
      '/v1/flags/{id}/review',
      '/health',
      '/.well-known/jwks.json',
    ]) {
      expect(paths).toContain(p);
    }
    // The request schema is the zod schema that validates: its enum is there.
    const zoneBody = res.body.paths['/v1/zones'].post.requestBody.content['application/json'].schema;
    expect(JSON.stringify(zoneBody)).toContain('mining_exclusion');
    expect(res.body.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('every /v1 operation declares the roles it admits and its error answers', async () => {
    const doc = (await t.call('GET', '/openapi.json')).body;
    let operations = 0;
    for (const [path, item] of Object.entries<Record<string, Record<string, unknown>>>(doc.paths)) {
      if (!path.startsWith('/v1/')) continue;
      for (const [method, op] of Object.entries(item)) {
        operations++;
        // A public route (checkpoints, consistency proofs: what witnesses read) says so.
        if ((op.description as string).startsWith('Public: no token.')) {
          expect(op.security, `${method} ${path}`).toEqual([]);
          continue;
        }
        expect(op.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
        expect(op.description, `${method} ${path}`).toMatch(/^Roles: /);
        expect(Object.keys(op.responses as object), `${method} ${path}`).toEqual(
          expect.arrayContaining(['400', '401', '403']),
        );
      }
    }
    expect(operations).toBeGreaterThanOrEqual(15);
  });

  it('the human docs page renders every route and loads nothing from the network', async () => {
    const res = await t.call('GET', '/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.text).toContain('/v1/concessions/{id}/operators');
    expect(res.text).toContain('Roles: admin');
    expect(res.text).not.toMatch(/<(script|link|img)[^>]+(src|href)="(https?:)?\/\//i);
    expect(res.text).not.toMatch(/@import|url\(\s*['"]?https?:/i);
  });

  it('the docs page explains how to get a token: the CLI of the embedded default and an identity provider', async () => {
    const res = await t.call('GET', '/docs');
    const text = unescapeHtml(res.text);
    expect(text).toContain(
      'npm run --silent token -- --role checkpoint|exporter|regulator|admin [--actor ID] [--checkpoint ID] [--ttl 1h]',
    );
    expect(text).toContain('export TOKEN=$(npm run --silent token -- --role regulator)');
    for (const words of ['JWKS_URL', 'JWT_PUBLIC_JWKS', 'JWT_ISSUER', 'JWT_AUDIENCE', 'identity provider'])
      expect(text).toContain(words);
    expect(res.text).toMatch(/<main id="content">/);
    expect(res.text.match(/<h1>/g)).toHaveLength(1);
  });

  it('every operation has a curl example: its method, a filled path, the bearer header when secured, a JSON body for writes', async () => {
    const doc = (await t.call('GET', '/openapi.json')).body;
    const text = unescapeHtml((await t.call('GET', '/docs')).text);
    const examples = [
      ...text.matchAll(/aria-label="curl example of (\w+) (\S+)"><code>([\s\S]*?)<\/code><\/pre>/g),
    ];
    const operations = Object.entries<Record<string, { security?: unknown[]; requestBody?: unknown }>>(
      doc.paths,
    ).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ method, path, op })));
    expect(examples).toHaveLength(operations.length);
    for (const { method, path, op } of operations) {
      const found = examples.find((m) => m[1] === method.toUpperCase() && m[2] === path);
      expect(found, `${method} ${path}`).toBeDefined();
      const curl = found?.[3] ?? '';
      expect(curl.startsWith(method === 'get' ? 'curl ' : `curl -X ${method.toUpperCase()} `), curl).toBe(
        true,
      );
      expect(curl).toContain('http://orotrace.test');
      expect(curl, `${method} ${path}`).not.toMatch(/\{\w+\}/);
      expect(curl.includes('Authorization: Bearer $TOKEN'), `${method} ${path}`).toBe(
        (op.security ?? []).length > 0,
      );
      if (op.requestBody && method !== 'get' && !curl.includes('--data-binary @')) {
        const body = /-d '((?:[^']|'\\'')*)'/.exec(curl)?.[1];
        expect(body, `${method} ${path}`).toBeDefined();
        expect(() => JSON.parse((body ?? '').replaceAll("'\\''", "'")), `${method} ${path}`).not.toThrow();
      }
    }
  });

  it('the write examples are valid requests: the actor and zone examples, sent as they are, create one', async () => {
    const text = unescapeHtml((await t.call('GET', '/docs')).text);
    const admin = await t.token('admin');
    for (const path of ['/v1/actors', '/v1/zones']) {
      const curl =
        new RegExp(`aria-label="curl example of POST ${path}"><code>([\\s\\S]*?)</code>`).exec(text)?.[1] ??
        '';
      const body = JSON.parse(/-d '((?:[^']|'\\'')*)'/.exec(curl)?.[1]?.replaceAll("'\\''", "'") ?? 'null');
      const res = await t.call('POST', path, { token: admin, body });
      expect(res.status, `${path}: ${res.text}`).toBe(201);
    }
  });

  it('an unknown path is a 404 problem', async () => {
    const res = await t.call('GET', '/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});

/** The page's text as a reader sees it: the entities hono's html escaping writes, undone. */
function unescapeHtml(s: string): string {
  return s
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}
