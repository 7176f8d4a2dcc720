import { sql } from 'drizzle-orm';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { rowsOf } from '../db/client.js';
import { latestCosignatureAgeSeconds, ledgerLag } from '../domain/ledger/lag.js';
import type { AppMetrics } from './metrics.js';

const knownMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The Node server's metrics, in a registry of their own (not prom-client's global one): each app
 * made in one process (the tests make many) counts apart, and no name is registered twice.
 * Labels are bounded: route patterns (never paths), status classes, methods, rule codes,
 * severities, triggers, outcomes and rate-limit classes are closed lists.
 */
export function createMetrics(opts: {
  /** Which database answers: PostgreSQL's connections are read from pg_stat_activity. */
  database: 'pglite' | 'postgres';
  /** The process collectors (CPU, memory, event loop, GC); default on. */
  processMetrics?: boolean;
  /**
   * The share of screened writes whose rules are also timed one by one (0–1; default 0.01):
   * each such write pays about its screening time again (engine.ts timeRulesAlone).
   */
  ruleSampleRate?: number;
}): AppMetrics & { registry: Registry } {
  const registry = new Registry();
  if (opts.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const requestLabels = ['method', 'route', 'status_class'] as const;
  const requests = new Counter({
    name: 'orotrace_http_requests_total',
    help: 'Requests answered, by method, route pattern and status class',
    labelNames: requestLabels,
    registers,
  });
  const requestSeconds = new Histogram({
    name: 'orotrace_http_request_duration_seconds',
    help: 'Time to answer a request, by method, route pattern and status class',
    labelNames: requestLabels,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const screeningSeconds = new Histogram({
    name: 'orotrace_screening_duration_seconds',
    help: 'Time of one screening statement (every rule the write triggers, run together), by trigger',
    labelNames: ['trigger'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const ruleSeconds = new Histogram({
    name: 'orotrace_screening_rule_duration_seconds',
    help: 'Time of one screening rule run alone, by trigger and rule, on a sample of writes (SCREENING_RULE_SAMPLE_RATE)',
    labelNames: ['trigger', 'rule'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers,
  });
  const ruleSampleRate = opts.ruleSampleRate ?? 0.01;
  const flagsRaised = new Counter({
    name: 'orotrace_flags_raised_total',
    help: 'Flags raised by the screening rules, by rule and severity',
    labelNames: ['rule', 'severity'],
    registers,
  });
  const syncRecords = new Counter({
    name: 'orotrace_sync_records_total',
    help: 'Offline records received (POST /v1/sync), by outcome: applied, duplicate, rejected',
    labelNames: ['outcome'],
    registers,
  });
  const rateLimited = new Counter({
    name: 'orotrace_rate_limited_total',
    help: 'Requests refused by the rate limits (429), by class',
    labelNames: ['class'],
    registers,
  });
  const pending = new Gauge({
    name: 'orotrace_ledger_pending_events',
    help: `Events written but in no signed head yet (counted up to 100000), read at scrape`,
    registers,
  });
  const oldestPending = new Gauge({
    name: 'orotrace_ledger_oldest_pending_event_age_seconds',
    help: 'Age of the oldest event not yet in a signed head (0 when none waits), read at scrape',
    registers,
  });
  const cosignatureAgeName = 'orotrace_witness_latest_cosignature_age_seconds';
  const cosignatureAge = new Gauge({
    name: cosignatureAgeName,
    help: 'Seconds since the latest witness cosignature arrived (absent until one has)',
    // Registered at scrape once a cosignature exists: a 0 before any would read "just cosigned".
    registers: [],
  });
  const connections = new Gauge({
    name: 'orotrace_db_connections',
    help: "Database connections by state: PostgreSQL's view of this role's sessions on this database (every instance), or the embedded PGlite's one connection",
    labelNames: ['state'],
    registers,
  });

  return {
    registry,
    request({ method, route, status, seconds }) {
      const labels = {
        method: knownMethods.has(method) ? method : 'OTHER',
        route,
        status_class: `${Math.floor(status / 100)}xx`,
      };
      requests.inc(labels);
      requestSeconds.observe(labels, seconds);
    },
    rateLimited(cls) {
      rateLimited.inc({ class: cls });
    },
    telemetry: {
      screened(trigger, seconds) {
        screeningSeconds.observe({ trigger }, seconds);
      },
      sampleRules: () => ruleSampleRate > 0 && Math.random() < ruleSampleRate,
      ruleScreened(trigger, rule, seconds) {
        ruleSeconds.observe({ trigger, rule }, seconds);
      },
      flagsRaised(flags) {
        for (const f of flags) flagsRaised.inc({ rule: f.rule, severity: f.severity });
      },
      syncRecords(counts) {
        for (const [outcome, n] of Object.entries(counts)) syncRecords.inc({ outcome }, n);
      },
    },
    async scrape(db) {
      const [lag, witnessAge, pool] = await Promise.all([
        ledgerLag(db),
        latestCosignatureAgeSeconds(db),
        opts.database === 'postgres'
          ? db
              .execute(sql`
                SELECT coalesce(state, 'unknown') AS state, count(*)::int AS n
                  FROM pg_stat_activity
                 WHERE datname = current_database() AND usename = current_user
                   AND backend_type = 'client backend'
                 GROUP BY 1`)
              .then((r) => rowsOf<{ state: string; n: number }>(r))
          : [{ state: 'embedded', n: 1 }],
      ]);
      pending.set(lag.pending);
      oldestPending.set(lag.oldestSeconds);
      if (witnessAge === undefined) registry.removeSingleMetric(cosignatureAgeName);
      else {
        if (!registry.getSingleMetric(cosignatureAgeName)) registry.registerMetric(cosignatureAge);
        cosignatureAge.set(witnessAge);
      }
      connections.reset();
      for (const { state, n } of pool) connections.set({ state }, Number(n));
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
