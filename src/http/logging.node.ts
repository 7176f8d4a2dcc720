import { type DestinationStream, pino } from 'pino';
import pretty from 'pino-pretty';
import type { Log, LogLevel } from './logging.js';

/**
 * The Node server's logger: pino, JSON lines on stdout; in development (NODE_ENV other than
 * production, on a terminal) the same lines made readable by pino-pretty, in process (no worker
 * thread, so a line is never lost when the process ends). Tests give a destination stream and
 * read the lines back.
 */
export function pinoLog(opts: {
  level: LogLevel;
  destination?: DestinationStream;
  /** Default: NODE_ENV is not production and stdout is a terminal. */
  pretty?: boolean;
}): Log {
  const readable = opts.pretty ?? (process.env.NODE_ENV !== 'production' && process.stdout.isTTY === true);
  // Written synchronously, as console.log writes: pino's default buffers and, when the process
  // exits, writes what is left out of order with a write still under way (a shutdown's
  // "database closed" came after its "done") or not at all. A line per request costs one write.
  const destination =
    opts.destination ??
    (readable
      ? pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', sync: true })
      : pino.destination({ dest: 1, sync: true }));
  // The authorization header is never a field we log; redacting it guards a future field.
  const options = { level: opts.level, redact: ['authorization', 'headers.authorization'] };
  return pino(options, destination);
}
