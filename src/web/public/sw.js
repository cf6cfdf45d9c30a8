/*
 * KORUS Mobility service worker (issue 6): keeps the app shell (index.html and the built assets) so a worker's
 * status card, home and profile open offline once the app has been loaded (issue 13). The API is never cached: verification needs the
 * server. Navigations go to the network first and fall back to the cached shell.
 *
 * Pages load lazily in chunks of their own, so index.html does not name every file /card needs: the build
 * writes them to /offline-assets.json (vite.config.ts, `offlineAssets`), precached at install and topped up
 * after each navigation (a new release brings new file names). Any other asset is cached when first fetched.
 */
const CACHE = 'korus-shell-v3';

/** The assets index.html names and those the offline pages need, fetched into the cache unless already there. */
async function cacheAssets(cache, html) {
  const fromHtml = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  const listed = await fetch('/offline-assets.json', { cache: 'no-cache' })
    .then((response) => (response.ok ? response.json() : { assets: [] }))
    .then((list) =>
      Array.isArray(list.assets)
        ? list.assets.filter((a) => typeof a === 'string' && a.startsWith('/assets/'))
        : [],
    )
    .catch(() => []);
  const missing = [];
  for (const url of new Set([...fromHtml, ...listed])) {
    if (!(await cache.match(url))) missing.push(url);
  }
  await cache.addAll(missing);
}

async function cacheShell() {
  const cache = await caches.open(CACHE);
  const response = await fetch('/', { cache: 'no-cache' });
  if (!response.ok) return;
  const html = await response.clone().text();
  await cache.put('/', response);
  await cacheAssets(cache, html);
  await cache.addAll(['/manifest.webmanifest', '/icon.svg']).catch(() => undefined);
}

self.addEventListener('install', (event) => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/.well-known/')) return;
  if (request.mode === 'navigate') {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            const text = response.clone();
            event.waitUntil(
              caches
                .open(CACHE)
                .then(async (cache) => {
                  await cache.put('/', copy);
                  await cacheAssets(cache, await text.text());
                })
                .catch(() => undefined),
            );
          }
          return response;
        })
        .catch(() => caches.match('/').then((cached) => cached ?? Response.error())),
    );
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(
      caches.match(request).then(
        (cached) =>
          cached ??
          fetch(request).then((response) => {
            if (response.ok) {
              const copy = response.clone();
              void caches.open(CACHE).then((cache) => cache.put(request, copy));
            }
            return response;
          }),
      ),
    );
  }
});
