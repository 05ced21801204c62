/* What My visit keeps in this browser, and where: shared by "Save for my visit" (visit-save.js, on the
   directory and each program's page) and the My visit page (visit.js), which load it first. Its keys come
   from storage-keys.js (keyFor), and this is the one place that reads and writes the question
   sheet's and records checklist's kept notes in their format (sheet.js). Nothing here is sent anywhere. */
(function () {
  "use strict";

  const SETTINGS = Object.freeze({
    // A screen reader can miss a message that replaces another in the same instant (as in sheet.js).
    statusDelayMs: 50,
    // The version of what the browser keeps for My visit.
    stateVersion: 1,
  });

  /* ---- Where things are kept -----------------------------------------------------------------------
     Every key starts with "so-" and holds the site's base path, so two copies of the site on one address
     (two project sites on one github.io host) never read or wipe each other's: "so-visit:/" for a site
     at the root, "so-visit:/second-opinions/" for one under /second-opinions/. */

  // Every key comes from storage-keys.js (loaded first): "so-<name>:<site path>", so two copies of the
  // site on one address never meet. isOurs: a key of this copy of the site.
  const keys = window.soStorage;

  function basePath() {
    return keys.base;
  }

  function keyFor(name) {
    return keys.key(name);
  }

  function isOurs(key) {
    return key.startsWith("so-") && key.endsWith(":" + keys.base);
  }

  const VISIT_KEY = keyFor("visit");
  const PROBE_KEY = keyFor("test"); // written and removed at once, to learn whether the page may save

  // The browser's storage, or null when there is none: blocked storage throws on every use (the theme's
  // head script then sets it to null).
  const storage = (function () {
    try {
      const found = window.localStorage;
      found.getItem(VISIT_KEY);
      return found;
    } catch {
      return null;
    }
  })();

  function readKey(key) {
    if (!storage) {
      return null;
    }
    try {
      return storage.getItem(key);
    } catch {
      return null;
    }
  }

  // Write `text` under `key`, or remove the key when `text` is null; true when it is done.
  function writeKey(key, text) {
    if (!storage) {
      return false;
    }
    try {
      if (text === null) {
        storage.removeItem(key);
      } else {
        storage.setItem(key, text);
      }
      return true;
    } catch {
      return false;
    }
  }

  function canWrite() {
    return writeKey(PROBE_KEY, "1") && writeKey(PROBE_KEY, null);
  }

  function isObject(value) {
    return Boolean(value) && typeof value === "object" && !Array.isArray(value);
  }

  /* ---- The sheets' kept notes, in sheet.js's format ------------------------------------------------
     The question sheet and the records checklist keep what a family typed under sheetKey(name) (names
     below; "-es" for the Spanish sheets) as {v: 1, fields: {id: text}, checks: {id: ticked}, own: [{text,
     answer}]}, holding only what differs from the page as sent. SHEET_NAMES, sheetKey, readSheet and
     sheetText are the only places this script knows that: change them with sheet.js. */

  const SHEET_NAMES = ["questions", "records", "questions-es", "records-es"];

  function sheetKey(name) {
    return keyFor("sheet-" + name);
  }

  // Where the sheets kept notes before the keys held the site's path; sheet.js moves them to sheetKey
  // when a sheet opens, and Clear removes them too.
  function oldSheetKey(name) {
    return "so-sheet:" + name;
  }

  function emptySheet() {
    return { fields: {}, checks: {}, own: [] };
  }

  // A sheet's state from anything: whatever has the wrong type is left out.
  function cleanSheet(raw) {
    const sheet = emptySheet();
    if (!isObject(raw)) {
      return sheet;
    }
    for (const [id, text] of Object.entries(isObject(raw.fields) ? raw.fields : {})) {
      if (typeof text === "string" && text) {
        sheet.fields[id] = text;
      }
    }
    for (const [id, ticked] of Object.entries(isObject(raw.checks) ? raw.checks : {})) {
      if (typeof ticked === "boolean") {
        sheet.checks[id] = ticked;
      }
    }
    for (const item of Array.isArray(raw.own) ? raw.own : []) {
      if (isObject(item) && typeof item.text === "string" && item.text.trim()) {
        sheet.own.push({ text: item.text, answer: typeof item.answer === "string" ? item.answer : "" });
      }
    }
    return sheet;
  }

  function readSheet(name) {
    const text = readKey(sheetKey(name));
    if (text === null) {
      return emptySheet();
    }
    try {
      return cleanSheet(JSON.parse(text));
    } catch {
      return emptySheet();
    }
  }

  function sheetIsEmpty(sheet) {
    return !Object.keys(sheet.fields).length && !Object.keys(sheet.checks).length && !sheet.own.length;
  }

  // What sheet.js keeps for a sheet, or null (no key) when there is nothing to keep.
  function sheetText(sheet) {
    return sheetIsEmpty(sheet) ? null : JSON.stringify({ v: 1, fields: sheet.fields, checks: sheet.checks, own: sheet.own });
  }

  /* ---- What My visit keeps -------------------------------------------------------------------------
     {v: 1, programs: [{id, label}], chosen: id, ticks: {programId: {record: {asked, got}}}}: the programs
     saved, in the order saved (the label is the program's name when it was saved, shown if it ever leaves
     the directory); the one the visit is with; and the ticks on each program's own list of records, keyed
     by the record's words. */

  const PROGRAM_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

  function emptyVisit() {
    return { v: SETTINGS.stateVersion, programs: [], chosen: "", ticks: {} };
  }

  function cleanTicks(raw) {
    const ticks = {};
    for (const [id, list] of Object.entries(isObject(raw) ? raw : {})) {
      if (!PROGRAM_ID.test(id) || !isObject(list)) {
        continue;
      }
      for (const [record, tick] of Object.entries(list)) {
        if (!isObject(tick)) {
          continue;
        }
        const kept = {};
        for (const which of ["asked", "got"]) {
          if (tick[which] === true) {
            kept[which] = true;
          }
        }
        if (Object.keys(kept).length) {
          ticks[id] = ticks[id] || {};
          ticks[id][record] = kept;
        }
      }
    }
    return ticks;
  }

  // A kept state, read leniently: what has the wrong type is left out, and anything this version does not
  // know (a newer version's fields) is carried along untouched, so writing it back loses nothing.
  function cleanVisit(raw) {
    const state = Object.assign({}, isObject(raw) ? raw : {}, emptyVisit());
    if (!isObject(raw)) {
      return state;
    }
    state.v = typeof raw.v === "number" ? raw.v : SETTINGS.stateVersion;
    const seen = new Set();
    for (const item of Array.isArray(raw.programs) ? raw.programs : []) {
      if (isObject(item) && typeof item.id === "string" && PROGRAM_ID.test(item.id) && !seen.has(item.id)) {
        seen.add(item.id);
        state.programs.push({ id: item.id, label: typeof item.label === "string" ? item.label : "" });
      }
    }
    state.chosen = typeof raw.chosen === "string" && seen.has(raw.chosen) ? raw.chosen : "";
    state.ticks = cleanTicks(raw.ticks);
    return state;
  }

  function readVisit() {
    const text = readKey(VISIT_KEY);
    if (text === null) {
      return emptyVisit();
    }
    try {
      return cleanVisit(JSON.parse(text));
    } catch {
      return emptyVisit();
    }
  }

  function visitText(state) {
    const empty = !state.programs.length && !state.chosen && !Object.keys(state.ticks).length;
    return empty ? null : JSON.stringify(state);
  }

  function writeVisit(state) {
    return writeKey(VISIT_KEY, visitText(state));
  }

  /* ---- Small helpers ---------------------------------------------------------------------------- */

  // An element with properties (className, id, href...), attributes (attrs) and children (text or nodes).
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props || {})) {
      if (name === "attrs") {
        for (const [attr, text] of Object.entries(value)) {
          node.setAttribute(attr, text);
        }
      } else {
        node[name] = value;
      }
    }
    for (const child of children) {
      if (child !== null && child !== undefined && child !== false) {
        node.append(child);
      }
    }
    return node;
  }

  function srOnly(text) {
    return el("span", { className: "so-sr-only" }, text);
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
  }

  function readJSON(selector) {
    const block = document.querySelector(selector);
    if (!block) {
      return null;
    }
    try {
      return JSON.parse(block.textContent);
    } catch {
      return null;
    }
  }

  function statusSayer(box) {
    return function say(message) {
      box.textContent = "";
      window.setTimeout(() => {
        box.textContent = message;
      }, SETTINGS.statusDelayMs);
    };
  }

  const pageLang = (document.documentElement.lang || "en").slice(0, 2);

  // The My visit page in this page's language: the English one at the site's root, another under its code.
  function visitPageHref() {
    return basePath() + (pageLang === "en" ? "" : pageLang + "/") + "visit/";
  }

  // Every key this browser keeps, or null when the storage cannot be read.
  function storedKeys() {
    if (!storage) {
      return null;
    }
    try {
      const keys = [];
      for (let i = 0; i < storage.length; i += 1) {
        keys.push(storage.key(i));
      }
      return keys.filter((key) => key !== null);
    } catch {
      return null;
    }
  }

  // Call `refresh` when another tab changes My visit or a sheet, and when Back or Forward brings the page
  // back as it was (something may have been saved since).
  function onChange(refresh) {
    const watched = new Set([VISIT_KEY].concat(SHEET_NAMES.map(sheetKey)));
    window.addEventListener("storage", (event) => {
      if (event.key === null || watched.has(event.key)) {
        refresh();
      }
    });
    window.addEventListener("pageshow", (event) => {
      if (event.persisted) {
        refresh();
      }
    });
  }

  window.soVisitStore = Object.freeze({
    stateVersion: SETTINGS.stateVersion,
    keyFor, isOurs, VISIT_KEY, readKey, writeKey, canWrite, storedKeys, onChange,
    SHEET_NAMES, sheetKey, oldSheetKey, emptySheet, cleanSheet, readSheet, sheetIsEmpty, sheetText,
    PROGRAM_ID, emptyVisit, cleanVisit, readVisit, visitText, writeVisit,
    isObject, el, srOnly, fill, readJSON, statusSayer, visitPageHref,
  });
})();
