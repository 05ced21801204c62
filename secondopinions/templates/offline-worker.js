/* Second Opinions: the offline copy (issue 26). Written into the site's root by the build
   (secondopinions/offline.py fills in MANIFEST); assets/offline.js registers it once a page has loaded.

   - It keeps a copy of each language a family reads: the language of the page that registered it, and
     of any page that asks once it has loaded. Each language has a cache of its own, named for this
     worker's scope, the language and that language's version.
   - Pages and the site's own files: from the network first, so a visit with a connection always shows
     what is published; the kept copy when there is no connection, or no answer within a few seconds.
   - Material's hashed files (their names change with their content): the kept copy first.
   - A page that is not kept, with no connection: a short page, in the page's language, saying what is kept.
   - Only this site's own addresses, only GET, only the files listed below, kept without query strings:
     nothing a family types ever reaches the copy.
   - A new version keeps a whole new copy of each language the family has while installing, then
     deletes the old caches. */
"use strict";

const MANIFEST = /*SO_MANIFEST*/null;

// How long a page waits for the network before the kept copy is shown instead (hospital Wi-Fi that
// connects but carries nothing). A page not kept goes on waiting for the network.
const NETWORK_WAIT_MS = 4000;
// How many files are fetched at once while keeping a copy, so a family's own clicks are not held up.
const AT_ONCE = 4;

const ROOT = new URL("./", self.location.href); // the worker sits at the site's root
const CACHE_PREFIX = "so-offline " + self.registration.scope + " ";
const LANGUAGES = MANIFEST.languages;
const address = (path) => new URL(path, ROOT).href;
const cacheName = (lang) => CACHE_PREFIX + lang + " " + LANGUAGES[lang].version;
const KEPT = {};
for (const [lang, copy] of Object.entries(LANGUAGES)) {
  KEPT[lang] = new Set([...copy.pages, ...copy.files].map(address));
}
const HASHED = new Set(MANIFEST.hashed.map(address));

// The language an address belongs to: the one with the longest matching prefix ("" for the default).
function languageOf(url) {
  let best = null;
  for (const [lang, copy] of Object.entries(LANGUAGES)) {
    if (url.startsWith(address(copy.prefix)) && (best === null || copy.prefix.length > LANGUAGES[best].prefix.length)) {
      best = lang;
    }
  }
  return best;
}

// The languages this family keeps: those with a cache, of this version or an earlier one.
async function keptLanguages() {
  const names = await caches.keys();
  return Object.keys(LANGUAGES).filter((lang) => names.some((name) => name.startsWith(CACHE_PREFIX + lang + " ")));
}

async function isComplete(lang) {
  if (!(await caches.has(cacheName(lang)))) {
    return false;
  }
  const cache = await caches.open(cacheName(lang));
  return (await cache.keys()).length >= KEPT[lang].size; // only listed files are ever put there
}

async function keepFile(cache, url) {
  if (await cache.match(url)) {
    return; // kept already: this version's earlier try, on a connection that dropped
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

// Keep one language's whole copy (a few files at a time); resolves once all of it is kept.
const keeping = {};
function keepLanguage(lang) {
  if (!keeping[lang]) {
    keeping[lang] = (async () => {
      if (await isComplete(lang)) {
        return;
      }
      const cache = await caches.open(cacheName(lang));
      const waiting = [...KEPT[lang]];
      const worker = async () => {
        while (waiting.length) {
          await keepFile(cache, waiting.shift());
        }
      };
      await Promise.all(Array.from({ length: AT_ONCE }, worker));
    })().finally(() => {
      delete keeping[lang];
    });
  }
  return keeping[lang];
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      // The languages kept so far, and the language of the page that asked for this worker.
      const wanted = new Set(await keptLanguages());
      for (const client of await self.clients.matchAll({ type: "window", includeUncontrolled: true })) {
        const lang = languageOf(client.url);
        if (lang !== null) {
          wanted.add(lang);
        }
      }
      for (const lang of wanted) {
        await keepLanguage(lang);
      }
      // Pages are network first, so an open page loses nothing by meeting a newer worker.
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const current = new Set(Object.keys(LANGUAGES).map(cacheName));
      for (const name of await caches.keys()) {
        if (name.startsWith(CACHE_PREFIX) && !current.has(name)) {
          await caches.delete(name);
        }
      }
      await self.clients.claim();
    })(),
  );
});

// A page of a language not kept yet asks, once it has loaded (assets/offline.js).
self.addEventListener("message", (event) => {
  const lang = event.data && event.data.keep;
  if (typeof lang === "string" && Object.prototype.hasOwnProperty.call(LANGUAGES, lang)) {
    event.waitUntil(keepLanguage(lang).catch(() => {})); // no connection: the next page asks again
  }
});

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function fromCopy(url) {
  for (const lang of Object.keys(LANGUAGES)) {
    if (KEPT[lang].has(url)) {
      const kept = await caches.match(url, { cacheName: cacheName(lang) });
      if (kept) {
        return kept;
      }
    }
  }
  return undefined;
}

async function offlinePage(url) {
  const lang = languageOf(url) || Object.keys(LANGUAGES)[0];
  const pages = LANGUAGES[lang].offline;
  let html = pages[""];
  if (!(await isComplete(lang))) {
    // This language is not kept: list the pages of one that is, if any.
    for (const other of Object.keys(pages)) {
      if (other !== "" && other !== lang && (await isComplete(other))) {
        html = pages[other];
        break;
      }
    }
  }
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
  const kept = await fromCopy(url);
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
  } else if (Object.values(KEPT).some((kept) => kept.has(key))) {
    event.respondWith(networkFirst(event, key));
  }
});
