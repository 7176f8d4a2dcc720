import { beforeAll, describe, expect, it } from 'vitest';
import type { TestContext } from '../helpers/app.js';
import { type GoldWorld, goldWorld, lotBody } from '../helpers/fixtures.js';
import { worldPerFile } from '../helpers/world.js';

const MiB = 1024 * 1024;
const world = worldPerFile(goldWorld);
let t: TestContext;
let w: GoldWorld;

beforeAll(async () => {
  ({ t, w } = await world());
});

/** A body that never ends: it counts what was pulled from it, so a test can see how much was read. */
function endlessBody(chunkBytes = 64 * 1024) {
  const chunk = new TextEncoder().encode(`{"padding":"${'x'.repeat(chunkBytes)}`);
  const read = { bytes: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      read.bytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, read };
}

async function post(path: string, init: { body: BodyInit; headers?: Record<string, string> }) {
  const started = performance.now();
  const res = await t.app.request(path, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${w.exporterToken}`,
      'content-type': 'application/json',
      ...init.headers,
    },
    body: init.body,
    // A streamed request body (fetch spec): required by undici for a ReadableStream.
    duplex: 'half',
  } as RequestInit);
  return { res, ms: performance.now() - started, problem: await res.json() };
}

describe('request body limit', () => {
  it('refuses a body declared far above 1 MiB from its Content-Length alone, before reading it', async () => {
    const { stream, read } = endlessBody();
    const { res, ms, problem } = await post('/v1/lots', {
      body: stream,
      headers: { 'content-length': String(100 * MiB) },
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(problem).toMatchObject({ type: '/problems/payload-too-large', status: 413, limitBytes: MiB });
    expect(problem.detail).toMatch(/at most 1 MiB/);
    // Nothing beyond what the stream buffers ahead was pulled: the body was not read.
    expect(read.bytes).toBeLessThan(MiB);
    expect(ms).toBeLessThan(1000);
  });

  it('counts a chunked body as it streams and stops at the first chunk past the limit', async () => {
    // Endless: a server that read bodies whole would never answer.
    const { stream, read } = endlessBody();
    const { res, problem } = await post('/v1/lots', { body: stream });
    expect(res.status).toBe(413);
    expect(problem.limitBytes).toBe(MiB);
    expect(read.bytes).toBeLessThan(MiB + 4 * 64 * 1024);
  });

  it('refuses a lot padded with 2 MiB of text, and writes nothing', async () => {
    const before = await t.call('GET', '/v1/lots?limit=500', { token: w.exporterToken });
    const body = JSON.stringify({ ...lotBody(w), padding: 'x'.repeat(2 * MiB) });
    const { res } = await post('/v1/lots', { body, headers: { authorization: `Bearer ${w.minerToken}` } });
    expect(res.status).toBe(413);
    const after = await t.call('GET', '/v1/lots?limit=500', { token: w.exporterToken });
    expect(after.body.items).toHaveLength(before.body.items.length);
  });

  it('lets a body under the limit through to validation', async () => {
    const body = JSON.stringify({ ...lotBody(w), padding: 'x'.repeat(MiB / 2) });
    const { res } = await post('/v1/lots', { body, headers: { authorization: `Bearer ${w.minerToken}` } });
    expect(res.status).not.toBe(413);
  });

  it('allows 8 MiB on the geometry uploads (zones, concessions), not more', async () => {
    const admin = await t.token('admin');
    const padded = (n: number) => `{"name":"${'x'.repeat(n)}"}`;
    for (const path of ['/v1/zones', '/v1/concessions']) {
      const under = await post(path, {
        body: padded(2 * MiB),
        headers: { authorization: `Bearer ${admin}` },
      });
      expect(under.res.status, path).toBe(400); // read and validated: not a valid zone
      const over = await post(path, {
        body: 'x',
        headers: { authorization: `Bearer ${admin}`, 'content-length': String(8 * MiB + 1) },
      });
      expect(over.res.status, path).toBe(413);
      expect(over.problem.limitBytes).toBe(8 * MiB);
    }
  });
});
