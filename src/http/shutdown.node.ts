import type { Server } from 'node:http';
import { ApiError } from '../domain/shared/errors.js';
import { problemOf } from './problem.js';

/**
 * Graceful shutdown of the Node server. On the first SIGTERM or SIGINT: the listener closes (a
 * new connection is refused, so a load balancer moves on), a request arriving on a connection
 * kept alive is answered 503 with Retry-After and `Connection: close`, and the requests in flight
 * are given `timeoutMs` to finish; idle connections are closed as soon as their last answer is
 * sent. Then the steps run in order (stop the timers, let the sequencer sign its last batch,
 * close the database), each logged, and the process exits 0. A step that fails exits 1. A
 * second signal exits at once, with status 1: whoever sends it wants the process gone.
 */
export interface Shutdown {
  /** Wraps the app's fetch: once shutting down, every new request is answered 503. */
  fetch<A extends unknown[]>(
    fetch: (req: Request, ...rest: A) => Response | Promise<Response>,
  ): (req: Request, ...rest: A) => Response | Promise<Response>;
  /** Starts counting the server's requests in flight (call once the server exists). */
  watch(server: Server): void;
  /** The signal handler. */
  onSignal(signal: string): void;
}

export interface ShutdownStep {
  /** What the step does, for the log ("closing the database"). */
  name: string;
  /** Its outcome, for the log ("final head: 120 leaves"), if there is more to say than "done". */
  run(): Promise<string | undefined>;
}

const retryAfterSeconds = 5;

export function gracefulShutdown(opts: {
  timeoutMs: number;
  steps: () => ShutdownStep[];
  log?: (line: string) => void;
  exit?: (code: number) => void;
}): Shutdown {
  const log = opts.log ?? ((line: string) => console.error(line));
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let server: Server | undefined;
  let stopping = false;
  let inFlight = 0;

  const drain = async (signal: string): Promise<void> => {
    const seconds = opts.timeoutMs / 1000;
    log(
      `shutdown: ${signal} received; refusing new connections, ${inFlight} request(s) in flight given ${seconds} s to finish`,
    );
    if (server) {
      const listening = server;
      const closed = new Promise<void>((resolve) => listening.close(() => resolve()));
      listening.closeIdleConnections();
      // A kept-alive connection becomes idle once its answer is sent: close it then.
      const sweep = setInterval(() => listening.closeIdleConnections(), 50);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), opts.timeoutMs);
      });
      const late = await Promise.race([closed.then(() => false), timedOut]);
      clearTimeout(timer);
      if (late) {
        log(`shutdown: ${inFlight} request(s) still running after ${seconds} s: their connections are cut`);
        listening.closeAllConnections();
        await closed;
      } else {
        log('shutdown: every request in flight was answered; the listener is closed');
      }
      clearInterval(sweep);
    }
    for (const step of opts.steps()) {
      log(`shutdown: ${step.name}`);
      const outcome = await step.run();
      if (outcome) log(`shutdown: ${outcome}`);
    }
  };

  return {
    fetch(fetch) {
      return (req, ...rest) => {
        if (!stopping) return fetch(req, ...rest);
        const problem = problemOf(
          new ApiError('unavailable', 'the server is shutting down; retry on another instance or shortly'),
          new URL(req.url).pathname,
        );
        return new Response(JSON.stringify(problem), {
          status: 503,
          headers: {
            'content-type': 'application/problem+json',
            'retry-after': String(retryAfterSeconds),
            connection: 'close',
          },
        });
      };
    },
    watch(s) {
      server = s;
      s.on('request', (_req, res) => {
        inFlight += 1;
        res.once('close', () => {
          inFlight -= 1;
        });
      });
    },
    onSignal(signal) {
      if (stopping) {
        log(`shutdown: ${signal} received again: exiting now, without finishing`);
        exit(1);
        return;
      }
      stopping = true;
      drain(signal).then(
        () => {
          log('shutdown: done');
          exit(0);
        },
        (err: unknown) => {
          log(`shutdown: failed: ${err instanceof Error ? err.message : String(err)}`);
          exit(1);
        },
      );
    },
  };
}
