/**
 * The parameters every application connection to PostgreSQL starts with (postgres.js sends them
 * in the startup message, so they hold for every statement of the session, pooled or not):
 *
 * - `jit: off`. The screening statements are OLTP work over a handful of rows, but as a lot's
 *   windows grow the planner's cost estimate crosses `jit_above_cost` (100,000 by default) and
 *   PostgreSQL compiles the statement with LLVM at each execution: measured at 1–4.7 s per
 *   registration or sync chunk on PostgreSQL 15, for a statement that runs in milliseconds.
 * - `statement_timeout`, when configured: a runaway statement is cancelled by the database itself
 *   (SQLSTATE 57014, answered 503) and does not hold a connection.
 */
export function sessionParameters(statementTimeoutMs: number): Record<string, string> {
  return {
    jit: 'off',
    ...(statementTimeoutMs > 0 ? { statement_timeout: String(statementTimeoutMs) } : {}),
  };
}
