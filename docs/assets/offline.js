/* The offline copy (issue 26). On a page of the site: once the page has loaded, ask the browser for the
   site's service worker (data-so-worker, written by the build; see secondopinions/offline.py) and ask it
   to keep this page's language (data-so-lang), so its pages open later without a connection. The page
   itself never waits for any of it.
   On the offline page the worker shows: light or dark, as the reader chose on the site or as the system asks. */
(function () {
  "use strict";

  const script = document.currentScript;

  if (document.body && document.body.hasAttribute("data-so-offline-page")) {
    // Material keeps the reader's choice under "<site path>.__palette"; the site's path is where the logo links.
    let scheme = null;
    try {
      const root = new URL(script.getAttribute("src"), location.href).pathname.replace(/assets\/offline\.js$/, "");
      const saved = JSON.parse(window.localStorage.getItem(root + ".__palette"));
      if (saved && saved.color && saved.color.media !== "(prefers-color-scheme)") {
        scheme = saved.color.scheme;
      }
    } catch (error) {
      scheme = null; // storage blocked or nothing saved: follow the system
    }
    if (scheme !== "default" && scheme !== "slate") {
      scheme = window.matchMedia("(prefers-color-scheme: dark)").matches ? "slate" : "default";
    }
    document.body.setAttribute("data-md-color-scheme", scheme);
    return;
  }

  const worker = script && script.getAttribute("data-so-worker");
  if (!worker || !("serviceWorker" in navigator)) {
    return;
  }
  const lang = script.getAttribute("data-so-lang");
  window.addEventListener("load", function () {
    navigator.serviceWorker
      .register(new URL(worker, location.href).href, { scope: new URL(script.getAttribute("data-so-scope"), location.href).href })
      .then(function () {
        return navigator.serviceWorker.ready;
      })
      .then(function (registration) {
        if (registration.active) {
          registration.active.postMessage({ keep: lang }); // kept already: the worker does nothing
        }
      })
      .catch(function () {
        // Storage turned off, or a private window that keeps nothing: the site works as before, online.
      });
  });
})();
