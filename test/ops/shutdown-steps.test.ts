import { createServer, request, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { gracefulShutdown } from '../../src/http/shutdown.node.js';

/**
 * The drain itself, on a real Node HTTP server in this process: what a request in flight, a
 * request on a kept-alive connection and a new connection each get once SIGTERM arrives, the
 * deadline, the order of the steps, and the second signal. The whole server under load is
 * test/ops/shutdown.test.ts.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Harness {
  server: Server;
  port: number;
  lines: string[];
  exits: number[];
  steps: string[];
  signal(name: string): void;
  exited: Promise<number>;
}

let open: Server | undefined;
afterEach(() => {
  open?.closeAllConnections();
  open?.close();
  open = undefined;
});

async function harness(timeoutMs: number, stepMs = 0): Promise<Harness> {
  const lines: string[] = [];
  const exits: number[] = [];
  const steps: string[] = [];
  let onExit: (code: number) => void = () => {};
  const exited = new Promise<number>((resolve) => {
    onExit = resolve;
  });
  const shutdown = gracefulShutdown({
    timeoutMs,
    log: (line) => lines.push(line),
    exit: (code) => {
      exits.push(code);
      onExit(code);
    },
    steps: () => [
      {
        name: 'first',
        run: async () => {
          await sleep(stepMs);
          steps.push('first');
          return 'first finished';
        },
      },
      { name: 'second', run: async () => void steps.push('second') },
    ],
  });
  // An app whose /slow answers after ?ms= milliseconds.
  const fetch = shutdown.fetch(async (req: Request) => {
    const url = new URL(req.url);
    await sleep(Number(url.searchParams.get('ms') ?? 0));
    return new Response(`answered ${url.pathname}`);
  });
  const server = createServer(async (req, res) => {
    const answer = await fetch(new Request(`http://x${req.url}`));
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(await answer.text());
  });
  open = server;
  shutdown.watch(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, port, lines, exits, steps, signal: (s) => shutdown.onSignal(s), exited };
}

interface Answer {
  status?: number;
  headers?: Record<string, string | string[] | undefined>;
  body?: string;
  error?: string;
}

function get(port: number, path: string, agent?: import('node:http').Agent): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
      res.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.end();
  });
}

describe('graceful shutdown', () => {
  it('lets a request in flight finish, closes idle kept-alive connections, refuses new ones, then runs the steps in order and exits 0', async () => {
    const h = await harness(5_000);
    const { Agent } = await import('node:http');
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    // Open the kept-alive connection, then start a slow request on another.
    expect((await get(h.port, '/warm', keepAlive)).status).toBe(200);
    const slow = get(h.port, '/slow?ms=800');
    await sleep(100);
    h.signal('SIGTERM');
    await sleep(50);
    const fresh = await get(h.port, '/new');
    expect(fresh.error).toBe('ECONNREFUSED');
    const answered = await slow;
    expect(answered).toMatchObject({ status: 200, body: 'answered /slow' });
    expect(await h.exited).toBe(0);
    expect(h.steps).toEqual(['first', 'second']);
    expect(h.lines[0]).toMatch(
      /^shutdown: SIGTERM received; refusing new connections, 1 request\(s\) in flight/,
    );
    expect(h.lines).toContain('shutdown: every request in flight was answered; the listener is closed');
    expect(h.lines).toContain('shutdown: first finished');
    expect(h.lines.at(-1)).toBe('shutdown: done');
    keepAlive.destroy();
  });

  it('answers a request that arrives on a connection kept alive during the drain 503 with Retry-After and Connection: close', async () => {
    const h = await harness(5_000);
    // One connection, kept alive: a slow request is in flight when the signal comes, and the next
    // request on the same connection arrives after it.
    const socket = connect(h.port, '127.0.0.1');
    let raw = '';
    socket.on('data', (c: Buffer) => {
      raw += c.toString();
    });
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('GET /slow?ms=600 HTTP/1.1\r\nHost: x\r\n\r\n');
    await sleep(100);
    h.signal('SIGTERM');
    await sleep(50);
    socket.write('GET /after HTTP/1.1\r\nHost: x\r\n\r\n');
    await ended;
    const answers = raw.split(/(?=HTTP\/1\.1 )/);
    expect(answers).toHaveLength(2);
    expect(answers[0]).toMatch(/^HTTP\/1\.1 200 /);
    expect(answers[0]).toContain('answered /slow');
    expect(answers[1]).toMatch(/^HTTP\/1\.1 503 /);
    expect(answers[1]).toMatch(/^retry-after: 5\r$/im);
    expect(answers[1]).toMatch(/^connection: close\r$/im);
    expect(answers[1]).toMatch(/^content-type: application\/problem\+json\r$/im);
    expect(answers[1]).toContain('"type":"/problems/unavailable"');
    expect(await h.exited).toBe(0);
  });

  it('cuts the connections still busy at the deadline, says so, and still closes everything and exits 0', async () => {
    const h = await harness(300);
    const stuck = get(h.port, '/slow?ms=5000');
    await sleep(100);
    h.signal('SIGTERM');
    expect(await h.exited).toBe(0);
    expect(await stuck).toMatchObject({ error: expect.stringMatching(/ECONNRESET|socket hang up/) });
    expect(h.lines).toContain('shutdown: 1 request(s) still running after 0.3 s: their connections are cut');
    expect(h.steps).toEqual(['first', 'second']);
  });

  it('exits at once with status 1 on a second signal', async () => {
    const h = await harness(5_000, 2_000);
    h.signal('SIGTERM');
    await sleep(100);
    h.signal('SIGINT');
    expect(h.exits).toEqual([1]);
    expect(h.lines).toContain('shutdown: SIGINT received again: exiting now, without finishing');
    expect(h.steps).toEqual([]);
  });
});
