// rubdown's service worker: the app shell and each planned session's cue audio stay
// available offline. The server fills in VERSION and SHELL when it serves this file.
const VERSION = "__VERSION__";
const SHELL = ["__SHELL__"];
const SHELL_CACHE = `rubdown-shell-${VERSION}`;
const DATA_CACHE = "rubdown-data";
const CUE_CACHE = "rubdown-cues";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith("rubdown-shell-") && n !== SHELL_CACHE)
      .map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

// Cue audio is content-addressed and the shell is versioned: once cached, never stale.
async function cacheFirst(request, cacheName) {
  const hit = await caches.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) (await caches.open(cacheName)).put(request, response.clone());
  return response;
}

// Pages and session data: fresh when the server answers, the last copy when it does not.
async function networkFirst(request) {
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") {
      (await caches.open(DATA_CACHE)).put(request, response.clone());
    }
    return response;
  } catch (error) {
    const hit = (await caches.match(request)) || (await caches.match(request, { ignoreSearch: true }));
    if (hit) return hit;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.endsWith("/stream") || url.pathname.startsWith("/downloads/")) return;
  if (url.pathname.startsWith("/api/cues/")) {
    event.respondWith(cacheFirst(request, CUE_CACHE));
  } else if (url.pathname.startsWith("/static/") || url.pathname.startsWith("/api/ticks/")) {
    event.respondWith(cacheFirst(request, SHELL_CACHE));
  } else {
    event.respondWith(networkFirst(request));
  }
});
