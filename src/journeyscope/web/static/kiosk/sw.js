/* Journeyscope kiosk service worker: keeps /k/... pages and their assets working offline.
 *
 * Assets (/static/kiosk/...?v=hash) are cache-first: a new release has a new hash, so the old
 * entry is replaced rather than served stale. Kiosk pages are network-first, falling back to
 * the cached copy when the network fails, hangs or the server answers 5xx. Answers are never
 * handled here: the page queues them in IndexedDB and posts them itself.
 */
"use strict";

const CACHE = "journeyscope-kiosk-v1";
const PAGE = /^\/k\/[A-Za-z0-9_-]+$/;
const NETWORK_TIMEOUT_MS = 5000;

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((n) => n.startsWith("journeyscope-kiosk-") && n !== CACHE)
          .map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

/* The page asks us to keep its URL and assets, fetched before this worker controlled it. */
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "cache" || !Array.isArray(data.urls)) return;
  const urls = data.urls.filter((u) => new URL(u, self.location.href).origin === self.location.origin);
  event.waitUntil(caches.open(CACHE).then((cache) => Promise.all(urls.map((u) => store(cache, u)))));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/kiosk/")) {
    event.respondWith(cacheFirst(request));
  } else if (PAGE.test(url.pathname) && url.pathname !== "/k/sw.js") {
    event.respondWith(networkFirst(request));
  }
});

async function store(cache, url) {
  try {
    const response = await fetch(url, { cache: "no-store" });
    if (response.ok) await put(cache, new Request(url), response);
  } catch (error) {
    /* offline: the next visit will cache it */
  }
}

async function put(cache, request, response) {
  const url = new URL(request.url);
  if (url.pathname.startsWith("/static/kiosk/")) {
    for (const old of await cache.keys()) {
      const oldUrl = new URL(old.url);
      if (oldUrl.pathname === url.pathname && oldUrl.search !== url.search) await cache.delete(old);
    }
  }
  await cache.put(request, response);
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await put(cache, request, response.clone());
  return response;
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("network timeout")), ms);
    promise.then(
      (value) => { clearTimeout(timer); resolve(value); },
      (error) => { clearTimeout(timer); reject(error); },
    );
  });
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  let response;
  try {
    response = await withTimeout(fetch(request), NETWORK_TIMEOUT_MS);
  } catch (error) {
    const cached = await cachedPage(cache, request);
    if (cached) return cached;
    throw error;
  }
  if (response.ok) {
    await cache.put(request.url, response.clone());
    return response;
  }
  if (response.status >= 500) return (await cachedPage(cache, request)) || response;
  if (response.status === 404) await cache.delete(request.url); /* the kiosk was closed */
  return response;
}

async function cachedPage(cache, request) {
  return (await cache.match(request.url)) || cache.match(request.url, { ignoreSearch: true });
}
