/* Where the site keeps what a family types: one key scheme for every script of the site (the question
   sheet and records checklist today; "My visit" and its saved programs next). Load this file before a
   script that keeps anything, then ask it for a key:

     soStorage.key("sheet-questions")   // "so-sheet-questions:/second-opinions/" on example.org/second-opinions/
     soStorage.key("visit")             // "so-visit:/" on a site served at an address's root

   A key is "so-<name>:<base path>", <name> being lowercase letters, digits and single hyphens. Every key
   of ours starts with "so-", so no other script's key is ever ours, and holds the site's own path on its
   address, so two copies of the site on one address (two project sites of one github.io account, say)
   never read or overwrite each other's. The path is read from where this file is served
   (<site>/assets/storage-keys.js), so it is the same on every page and in every language.

   soStorage.shared is true where the address itself is known to be shared with other people's sites
   (a github.io project site): they can read this browser's storage for it, so a page can say so. */
(function () {
  "use strict";

  const script = document.currentScript || document.querySelector("script[src*='assets/storage-keys.js']");
  // This file is <site>/assets/storage-keys.js: the site is one folder up from assets/.
  const base = new URL("..", script.src).pathname;
  const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

  window.soStorage = Object.freeze({
    base: base,
    shared: window.location.hostname.endsWith(".github.io") && base !== "/",
    key: function (name) {
      if (!NAME.test(name)) {
        throw new Error("soStorage.key: a name is lowercase letters, digits and single hyphens (got " + JSON.stringify(name) + ")");
      }
      return "so-" + name + ":" + base;
    },
  });
})();
