/// <reference lib="webworker" />
/**
 * The checkpoint app's service worker: the app shell is precached at install (the build lists
 * its files and names the cache after their bytes), answered from the cache first so that the
 * app opens with no signal; the ledger's public keys (JWKS) are cached on every successful fetch
 * and answered from the cache when offline. API calls are never cached: records queue in
 * IndexedDB instead (store.ts) and go through /v1/sync.
 */
declare const __SW_VERSION__: string;
declare const __SW_PRECACHE__: string[];

// The worker's global scope, typed as what it is (lib.webworker types `self` as any worker's).
const sw = self as unknown as ServiceWorkerGlobalScope;
const cacheName = `orotrace-checkpoint-${__SW_VERSION__}`;
const jwksPath = '/.well-known/jwks.json';

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(cacheName);
      await cache.addAll(__SW_PRECACHE__);
      await cache.add(jwksPath).catch(() => undefined);
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('orotrace-checkpoint-') && name !== cacheName) await caches.delete(name);
      }
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== sw.location.origin) return;
  if (url.pathname === jwksPath) {
    event.respondWith(networkThenCache(event.request));
    return;
  }
  const scope = new URL(sw.registration.scope).pathname;
  if (url.pathname.startsWith(scope) || url.pathname === '/app/icon.svg') {
    event.respondWith(cacheThenNetwork(event.request, event.request.mode === 'navigate'));
  }
});

async function networkThenCache(request: Request): Promise<Response> {
  const cache = await caches.open(cacheName);
  try {
    const res = await fetch(request);
    if (res.ok) await cache.put(request, res.clone());
    return res;
  } catch (err) {
    const hit = await cache.match(request);
    if (hit) return hit;
    throw err;
  }
}

async function cacheThenNetwork(request: Request, navigation: boolean): Promise<Response> {
  const cache = await caches.open(cacheName);
  // Any page of the app is the app's one page (its state lives in the fragment and on the device).
  const hit = await cache.match(navigation ? new URL('./', sw.registration.scope).href : request, {
    ignoreSearch: true,
  });
  return hit ?? fetch(request);
}
