import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { parseNodeConfig } from '../../src/config.js';
import { requestIdOf } from '../../src/http/logging.js';
import { pinoLog } from '../../src/http/logging.node.js';
import { testApp } from '../helpers/app.js';
import { type GoldWorld, goldWorld, registerLot } from '../helpers/fixtures.js';

/** A pino logger writing into memory, and the lines it wrote, parsed. */
function capturedLog() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { lines, raw, log: pinoLog({ level: 'info', destination, pretty: false }) };
}

let w: GoldWorld;
let lot: { id: string };
beforeAll(async () => {
  const t = await testApp();
  w = await goldWorld(t);
  lot = await registerLot(t, w);
}, 300_000);

describe('request logs', () => {
  it("writes one JSON line per request: method, route pattern, status, duration, the client's id, role and subject; never the token or the path's ids", async () => {
    const { lines, raw, log } = capturedLog();
    const t = await testApp({ reset: false, log });
    const res = await t.call('GET', `/v1/lots/${lot.id}`, {
      token: w.minerToken,
      headers: { 'x-request-id': 'desk-7f3a.42:retry-1' },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('desk-7f3a.42:retry-1');
    expect(lines).toHaveLength(1);
    const line = lines[0];
    expect(line).toMatchObject({
      level: 30,
      msg: 'request',
      requestId: 'desk-7f3a.42:retry-1',
      method: 'GET',
      route: '/v1/lots/:id',
      status: 200,
      role: 'exporter',
    });
    expect(typeof line?.durationMs).toBe('number');
    expect(line?.durationMs as number).toBeGreaterThanOrEqual(0);
    expect(typeof line?.subject).toBe('string');
    expect(line?.subject).not.toBe('');
    const text = raw.join('\n');
    expect(text).not.toContain(w.minerToken);
    expect(text).not.toContain(w.minerToken.split('.')[2]);
    expect(text).not.toContain(lot.id);
    expect(text.toLowerCase()).not.toContain('authorization');
  });

  it('gives a request without X-Request-Id an id of its own, answered in the header and logged', async () => {
    const { lines, log } = capturedLog();
    const t = await testApp({ reset: false, log });
    const res = await t.call('GET', '/health/live');
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines[0]).toMatchObject({ requestId: id, route: '/health/live', status: 200 });
    expect(lines[0]).not.toHaveProperty('role');
  });

  it('replaces a hostile X-Request-Id (too long, non-ASCII, a quote or a space) by its own id', async () => {
    const { lines, log } = capturedLog();
    const t = await testApp({ reset: false, log });
    const hostile = ['a'.repeat(129), 'caf\u00e9-1234', 'x"}{"admin":true', 'two words'];
    for (const value of hostile) {
      const res = await t.call('GET', '/health/live', { headers: { 'x-request-id': value } });
      const id = res.headers.get('x-request-id');
      expect(id).not.toBe(value);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(lines.map((l) => l.requestId)).not.toContain(hostile[0]);
    expect(JSON.stringify(lines)).not.toContain('admin');
    // The longest id kept is 128 characters.
    const longest = 'b'.repeat(128);
    const res = await t.call('GET', '/health/live', { headers: { 'x-request-id': longest } });
    expect(res.headers.get('x-request-id')).toBe(longest);
  });

  it('never keeps an id that would forge a log line (CR, LF, NUL, tab), which fetch cannot even send', () => {
    for (const value of ['a\nb', 'a\r\n{"level":50}', 'a\u0000b', 'a\tb', '', 'ü']) {
      expect(requestIdOf(value)).not.toBe(value);
      expect(requestIdOf(value)).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(requestIdOf('0af7651916cd43dd8448eb211c80319c')).toBe('0af7651916cd43dd8448eb211c80319c');
  });

  it('puts the id in problem bodies (401, 404 of an unmatched path) and logs unmatched paths under one pattern', async () => {
    const { lines, log } = capturedLog();
    const t = await testApp({ reset: false, log });
    const refused = await t.call('GET', '/v1/lots', { headers: { 'x-request-id': 'req-401' } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body.requestId).toBe('req-401');
    expect(refused.headers.get('x-request-id')).toBe('req-401');

    const missing = await t.call('GET', `/no/such/${lot.id}`);
    expect(missing.status).toBe(404);
    expect(missing.body.requestId).toBe(missing.headers.get('x-request-id'));
    expect(lines.map((l) => [l.route, l.status])).toEqual([
      ['/v1/lots', 401],
      ['(unmatched)', 404],
    ]);
    expect(JSON.stringify(lines)).not.toContain(lot.id);
  });

  it('logs an unexpected error with the request id the 500 problem carries', async () => {
    const { lines, log } = capturedLog();
    const app = createApp({
      log,
      services: () => {
        throw new Error('the services could not be built');
      },
    });
    const res = await app.request('/v1/lots', { headers: { 'x-request-id': 'req-500' } });
    expect(res.status).toBe(500);
    const body = (await res.json()) as { requestId: string; detail: string };
    expect(body.requestId).toBe('req-500');
    expect(body.detail).not.toContain('services');
    const error = lines.find((l) => l.level === 50 && l.msg === 'unexpected error');
    expect(error).toMatchObject({ requestId: 'req-500' });
    expect(JSON.stringify(error)).toContain('the services could not be built');
    expect(lines.find((l) => l.msg === 'request')).toMatchObject({
      requestId: 'req-500',
      status: 500,
      level: 50,
    });
  });

  it('writes nothing below LOG_LEVEL', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _e, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const t = await testApp({ reset: false, log: pinoLog({ level: 'warn', destination, pretty: false }) });
    await t.call('GET', '/health/live');
    expect(lines).toEqual([]);
  });
});

describe('LOG_LEVEL and READY_MAX_LEDGER_LAG_SECONDS', () => {
  it('are read by the config module and refused, named, when wrong', () => {
    expect(parseNodeConfig({ LOG_LEVEL: 'debug', READY_MAX_LEDGER_LAG_SECONDS: '300' })).toMatchObject({
      LOG_LEVEL: 'debug',
      READY_MAX_LEDGER_LAG_SECONDS: 300,
    });
    expect(() => parseNodeConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL: must be one of trace, debug/);
    expect(() => parseNodeConfig({ READY_MAX_LEDGER_LAG_SECONDS: '0' })).toThrow(
      /READY_MAX_LEDGER_LAG_SECONDS: must be at least 1 seconds/,
    );
  });
});
