/**
 * What the app counts for Prometheus (README "Operations" → "Metrics and logs"), as an interface
 * the app calls: the Node server fills it with prom-client (metrics.node.ts); the Worker leaves
 * it unset (an isolate's counters are its own and short-lived: Workers Analytics is the place to
 * watch a Worker), and its /metrics says so. Worker-safe: no prom-client here.
 */
import type { MiddlewareHandler } from 'hono';
import type { RateLimitClass } from '../config.js';
import type { Db } from '../db/client.js';
import { type Telemetry, withTelemetry } from '../domain/shared/telemetry.js';
import type { AppEnv } from './env.js';
import { routePatternOf } from './logging.js';

/** One answered request, as the request metrics label it (bounded: patterns, classes). */
interface RequestObservation {
  method: string;
  route: string;
  status: number;
  seconds: number;
}

export interface AppMetrics {
  request(observation: RequestObservation): void;
  rateLimited(cls: RateLimitClass): void;
  /** Told of the business's work during a request (screening, flags, offline records). */
  telemetry: Telemetry;
  /** The Prometheus text exposition, with the gauges read from the database at this moment. */
  scrape(db: Db): Promise<{ contentType: string; body: string }>;
}

/**
 * Times every request and counts it under its route pattern, and has the business's telemetry
 * reach these metrics for the length of the request. Mounted first, so that refusals (401, 413,
 * 429) and the web apps' files are counted too.
 */
export function measureRequests(metrics: AppMetrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await withTelemetry(metrics.telemetry, next);
    metrics.request({
      method: c.req.method,
      route: routePatternOf(c),
      status: c.res.status,
      seconds: (performance.now() - started) / 1000,
    });
  };
}
