import { describe, expect, it } from 'vitest';
import { operationIdOf } from '../../src/http/openapi-document.js';
import { testApp } from '../helpers/app.js';

interface Operation {
  operationId?: string;
  security?: unknown[];
  responses?: Record<string, unknown>;
}

describe('the OpenAPI document as linters and code generators take it', () => {
  it('names operations by method and path, without the version prefix', () => {
    expect(operationIdOf('get', '/v1/lots/{id}/provenance')).toBe('getLotsByIdProvenance');
    expect(operationIdOf('post', '/v1/lots/merge')).toBe('postLotsMerge');
    expect(operationIdOf('get', '/.well-known/jwks.json')).toBe('getWellKnownJwksJson');
    expect(operationIdOf('get', '/epcis/epcs/{epc}/events')).toBe('getEpcisEpcsByEpcEvents');
  });

  it('every operation has a unique operationId, a security requirement and a 4xx answer; servers and licence are there', async () => {
    const t = await testApp();
    const doc = (await (await t.app.request('/openapi.json')).json()) as {
      info: { license?: { name: string } };
      servers?: { url: string }[];
      paths: Record<string, Record<string, Operation>>;
    };
    const ids: string[] = [];
    for (const [path, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(item)) {
        ids.push(op.operationId ?? `(none: ${method} ${path})`);
        expect(op.security, `${method} ${path}`).toBeDefined();
        expect(
          Object.keys(op.responses ?? {}).some((s) => s.startsWith('4')),
          `${method} ${path}`,
        ).toBe(true);
      }
    expect(ids.length).toBeGreaterThan(50);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => id.startsWith('(none'))).toEqual([]);
    // Public routes say so; the rest name the bearer scheme.
    expect(doc.paths['/health']?.get?.security).toEqual([]);
    expect(doc.paths['/v1/lots']?.get?.security).toEqual([{ bearerAuth: [] }]);
    // Relative to where the document is served from (the test app's BASE_URL is at the root).
    expect(doc.servers).toEqual([{ url: '/', description: expect.any(String) }]);
    expect(doc.info.license?.name).toBeTruthy();
  });
});
