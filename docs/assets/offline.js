/* After load, the offline worker (secondopinions/offline.py) keeps this page's language. Loaded by every page: keep it small. */
(function () {
  "use strict";

  const script = document.currentScript;

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
          registration.active.postMessage({ keep: lang });
        }
      })
      .catch(function () {});
  });
})();
