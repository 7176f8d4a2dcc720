/**
 * What the business tells an operator while it works (screening time, flags raised, offline
 * records applied), without knowing who listens: the app's metrics (http/metrics.ts) bind a
 * listener for the length of a request; a CLI binds none and the calls cost nothing. Bound per
 * async context, not per process, so two apps in one process (the tests) never count each
 * other's work.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RuleCode, Severity } from './vocabulary.js';

export interface Telemetry {
  /** One screening statement ran: the write's trigger, and how long the rules took together. */
  screened(trigger: string, seconds: number): void;
  /**
   * Whether this write's rules are also to be timed one by one (a sample of writes, at the rate
   * the operator set: each costs its write about its screening time again).
   */
  sampleRules(): boolean;
  /** One rule of a sampled write, run alone: how long it took. */
  ruleScreened(trigger: string, rule: RuleCode, seconds: number): void;
  /** Flags were raised. */
  flagsRaised(flags: readonly { rule: RuleCode; severity: Severity }[]): void;
  /** An offline batch was answered: records applied, duplicates of earlier ones, rejected. */
  syncRecords(counts: { applied: number; duplicate: number; rejected: number }): void;
}

const listener = new AsyncLocalStorage<Telemetry>();

/** Runs `fn` with `telemetry` told of the work it does (and the work it starts). */
export const withTelemetry = <T>(telemetry: Telemetry, fn: () => T): T => listener.run(telemetry, fn);

/** The listener of the work under way; undefined when nobody listens. */
export const telemetry = (): Telemetry | undefined => listener.getStore();
