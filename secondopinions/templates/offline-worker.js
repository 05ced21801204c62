/* Second Opinions: the offline copy of one language's pages (issue 26). Written into the site by the build
   (secondopinions/offline.py fills in MANIFEST); assets/offline.js registers it once a page has loaded.

   - Pages and the site's own files: from the network first, so a visit with a connection always shows
     what is published; the kept copy when there is no connection, or no answer within a few seconds.
   - Material's hashed files (their names change with their content): the kept copy first.
   - A page that is not kept, with no connection: a short page, in the page's language, saying what is kept.
   - Only this site's own addresses, only GET, only the files listed below, kept without query strings:
     nothing a family types ever reaches the copy.
   - The cache is named for this worker's scope and version; a new version keeps a whole new copy while
     installing, then deletes the old one. */
"use strict";

const MANIFEST = /*SO_MANIFEST*/null;

// How long a page waits for the network before the kept copy is shown instead (hospital Wi-Fi that
// connects but carries nothing). A page not kept goes on waiting for the network.
const NETWORK_WAIT_MS = 4000;
// How many files are fetched at once while keeping the copy, so a family's own clicks are not held up.
const AT_ONCE = 4;

const ROOT = new URL(MANIFEST.root, self.location.href);
const CACHE_PREFIX = "so-offline " + self.registration.scope + " ";
const CACHE = CACHE_PREFIX + MANIFEST.version;
const address = (path) => new URL(path, ROOT).href;
const KEPT = new Set([...MANIFEST.pages, ...MANIFEST.files].map(address));
const HASHED = new Set(MANIFEST.hashed.map(address));

async function keep(cache, url) {
  if (await cache.match(url)) {
    return; // kept by an earlier try at this same version, on a connection that dropped
  }
  // Our own files are checked with the server (no-cache), so the copy is never an older one the
  // browser happened to hold; hashed files cannot be older than their names.
  let response = await fetch(url, { cache: HASHED.has(url) ? "default" : "no-cache" });
  if (!response.ok) {
    throw new Error(`offline copy: ${url} answered ${response.status}`);
  }
  if (response.redirected) {
    // A browser shows no page from a redirected answer: keep the page itself.
    response = new Response(await response.blob(), { status: response.status, headers: response.headers });
  }
  await cache.put(url, response);
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const waiting = [...KEPT];
      const worker = async () => {
        while (waiting.length) {
          await keep(cache, waiting.shift());
        }
      };
      await Promise.all(Array.from({ length: AT_ONCE }, worker));
      // The pages are network first, so an open page loses nothing by meeting a newer worker.
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(CACHE_PREFIX) && name !== CACHE) {
          await caches.delete(name);
        }
      }
      await self.clients.claim();
    })(),
  );
});

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function fromCopy(url) {
  const cache = await caches.open(CACHE);
  return cache.match(url);
}

function offlinePage(url) {
  let best = null;
  for (const start of Object.keys(MANIFEST.offline)) {
    if (url.startsWith(address(start)) && (best === null || start.length > best.length)) {
      best = start;
    }
  }
  const html = MANIFEST.offline[best === null ? Object.keys(MANIFEST.offline)[0] : best];
  // 200: the page shows exactly what it says, and the browser's console stays clear.
  return new Response(html.split("__SO_ROOT__/").join(ROOT.pathname), {
    status: 200,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}

// The network's answer, or null when there is none. A page is checked with the server every time
// (no-cache: a 304 costs a few bytes), so a page published since the last visit shows at once even where
// the host lets browsers reuse pages for a while; our other files follow the host's caching, as without a worker.
function fromNetwork(request) {
  const page = request.mode === "navigate";
  return fetch(request, page ? { cache: "no-cache" } : undefined).catch(() => null);
}

async function networkFirst(event, url) {
  const network = fromNetwork(event.request);
  event.waitUntil(network);
  const quick = await Promise.race([network, wait(NETWORK_WAIT_MS).then(() => undefined)]);
  if (quick && quick.status < 500) {
    return quick;
  }
  const kept = KEPT.has(url) ? await fromCopy(url) : undefined;
  if (kept) {
    return kept;
  }
  const late = quick === undefined ? await network : quick;
  if (late) {
    return late;
  }
  return event.request.mode === "navigate" ? offlinePage(url) : Response.error();
}

async function copyFirst(event, url) {
  return (await fromCopy(url)) || fetch(event.request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return; // another site, or a request that changes something: the browser's own way
  }
  const key = url.origin + url.pathname; // never the query string: it may hold what a family typed
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(event, key));
  } else if (HASHED.has(key)) {
    event.respondWith(copyFirst(event, key));
  } else if (KEPT.has(key)) {
    event.respondWith(networkFirst(event, key));
  }
});
