/* The offline page the service worker shows (secondopinions/offline.py): light or dark, as the reader
   chose on the site or as the system asks. */
(function () {
  "use strict";

  const script = document.currentScript;
  // Material keeps the reader's choice under "<site path>.__palette"; the site's path is where the logo links.
  let scheme = null;
  try {
    const root = new URL(script.getAttribute("src"), location.href).pathname.replace(/assets\/offline-page\.js$/, "");
    const saved = JSON.parse(window.localStorage.getItem(root + ".__palette"));
    if (saved && saved.color && saved.color.media !== "(prefers-color-scheme)") {
      scheme = saved.color.scheme;
    }
  } catch {
    scheme = null; // storage blocked or nothing saved: follow the system
  }
  if (scheme !== "default" && scheme !== "slate") {
    scheme = window.matchMedia("(prefers-color-scheme: dark)").matches ? "slate" : "default";
  }
  document.body.setAttribute("data-md-color-scheme", scheme);
})();
