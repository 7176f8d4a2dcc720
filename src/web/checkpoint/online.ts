/**
 * Online as the station acts on it (shared/reachability.ts): the browser's network events and
 * whether the last request got an answer. While offline it probes the server, so the queue is
 * sent as soon as the signal returns even where the browser never said it was gone.
 */
import { useEffect, useState } from 'preact/hooks';
import { isOnline, onReachability, probe } from '../shared/reachability.js';

/** How often a device that lost the server asks again whether it answers. */
const probeEveryMs = 5_000;

export function useOnline(): boolean {
  const [online, setOnline] = useState(() => isOnline());
  useEffect(() => {
    const update = () => setOnline(isOnline());
    const back = () => {
      update();
      void probe();
    };
    addEventListener('online', back);
    addEventListener('offline', update);
    const stop = onReachability(update);
    void probe();
    return () => {
      removeEventListener('online', back);
      removeEventListener('offline', update);
      stop();
    };
  }, []);
  useEffect(() => {
    if (online) return;
    // Where the browser itself knows there is no network, asking would only fail.
    const timer = setInterval(() => navigator.onLine && void probe(), probeEveryMs);
    return () => clearInterval(timer);
  }, [online]);
  return online;
}
