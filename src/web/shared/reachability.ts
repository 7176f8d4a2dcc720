/**
 * Whether the server can be reached, as the apps act on it. `navigator.onLine` alone is not
 * enough: it stays true on a network with no way out (a checkpoint's router whose uplink is down,
 * a captive portal), and browsers do not always keep it right across a reload. So every request
 * the apps make reports whether it got an answer, and while the last one got none the apps count
 * as offline and probe the server every so often until it answers again.
 */

type Listener = (reachable: boolean) => void;

let reachable = true;
const listeners = new Set<Listener>();

/** Every request reports here: an answer (any status) means reachable; none means not. */
export function noteReachable(answered: boolean): void {
  if (answered === reachable) return;
  reachable = answered;
  for (const l of listeners) l(answered);
}

/** Online for the apps: the browser has a network and the last request got an answer. */
export const isOnline = (): boolean => navigator.onLine && reachable;

/** Calls `listener` when reachability changes; answers how to stop. */
export function onReachability(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A cheap request that bypasses caches and the service worker: does the server answer now? */
export async function probe(path = '/health', withinMs = 5000): Promise<boolean> {
  try {
    await fetch(path, { cache: 'no-store', signal: AbortSignal.timeout(withinMs) });
    noteReachable(true);
    return true;
  } catch {
    noteReachable(false);
    return false;
  }
}
