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

  it('an unknown path is a 404 problem', async () => {
    const res = await t.call('GET', '/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});
