import { ConfigError, type NodeConfig, parseNodeConfig } from './config.js';

/**
 * The configuration of the Node server and the CLIs, from process.env (see config.ts). A bad
 * environment ends the process before anything is opened, with exit status 2 (as bad options do
 * in the CLIs) and one line per wrong variable; a stack trace would add nothing to it.
 */
export function loadNodeConfig(env: Record<string, string | undefined> = process.env): NodeConfig {
  try {
    return parseNodeConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
}
