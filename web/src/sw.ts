/// <reference lib="webworker" />
/**
 * The service worker: the app shell (index.html and the hashed assets of this build) is
 * precached at install, so the app opens without signal. Navigations are network-first with
 * the cached shell as fallback; hashed assets cache-first; the API (/v1, /open311, /dev) is
 * never cached here — the app keeps its own last-known lists and the outbox in IndexedDB.
 */
export {};
declare const self: ServiceWorkerGlobalScope;

const version = '__VERSION__';
// Replaced at build by the shell's file list (web/vite.config.ts); unreplaced, nothing is precached.
const list: unknown = "__PRECACHE__";
const precache: string[] = Array.isArray(list) ? (list as string[]) : [];
const cacheName = `xiuhua-shell-${version}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(cacheName);
      await cache.addAll(precache);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith('xiuhua-shell-') && name !== cacheName) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

function isApi(url: URL): boolean {
  return url.pathname.startsWith('/v1/') || url.pathname.startsWith('/open311/') || url.pathname.startsWith('/dev/');
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || isApi(url)) return;
  // The page and its configuration: the network first, the last copy without signal.
  if (request.mode === 'navigate' || url.pathname === '/app-config.json') {
    event.respondWith(
      (async () => {
        const cache = await caches.open(cacheName);
        try {
          const response = await fetch(request);
          if (response.ok && url.pathname === '/app-config.json') await cache.put(request, response.clone());
          return response;
        } catch {
          return (await cache.match(request.mode === 'navigate' ? '/index.html' : request)) ?? Response.error();
        }
      })(),
    );
    return;
  }
  event.respondWith(
    (async () => {
      const cached = await caches.match(request);
      if (cached !== undefined) return cached;
      const response = await fetch(request);
      if (response.ok && url.pathname.startsWith('/assets/')) (await caches.open(cacheName)).put(request, response.clone());
      return response;
    })(),
  );
});
