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
    if (response.ok && response.type === "basic" && !response.redirected) {
      (await caches.open(DATA_CACHE)).put(request, response.clone());
    }
    return response;
  } catch (error) {
    const hit = (await caches.match(request)) || (await caches.match(request, { ignoreSearch: true }));
    if (hit) return hit;
    if (request.mode === "navigate") return offlinePage();
    throw error;
  }
}

// A page never loaded while online: a short note instead of the browser's error page.
function offlinePage() {
  const css = SHELL.find((url) => url.startsWith("/static/css/app.css"));
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Offline · rubdown</title>
<link rel="stylesheet" href="${css}"></head><body class="page"><main id="main">
<h1>You're offline</h1>
<p class="card">This page needs the connection to rubdown. A session you already opened keeps
working: the player plays it from this phone and sends what happened once the connection is back.</p>
<p><a class="button quiet" href="/">Try again</a></p></main></body></html>`;
  return new Response(html, { status: 503, headers: { "content-type": "text/html; charset=utf-8" } });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.endsWith("/stream") || url.pathname.startsWith("/downloads/")) return;
  // Pairing links and codes carry a token (after "#", or in an old link's query): the browser
  // fetches them, nothing keeps them. A cached request keeps its fragment, so check it too.
  const fragment = new URLSearchParams(url.hash.replace(/^#/, ""));
  if (["token", "pair"].some((name) => url.searchParams.has(name) || fragment.has(name))) return;
  if (url.pathname.endsWith("/pair.svg")) return;
  if (url.pathname.startsWith("/api/cues/")) {
    event.respondWith(cacheFirst(request, CUE_CACHE));
  } else if (["/static/", "/api/ticks/", "/api/background/"].some((p) => url.pathname.startsWith(p))) {
    event.respondWith(cacheFirst(request, SHELL_CACHE));
  } else {
    event.respondWith(networkFirst(request));
  }
});
