/* Question sheet and records checklist.
   Runs only on a page with <form class="so-sheet" data-so-sheet="...">; on every other page it does nothing.
   What a parent types stays in this browser: localStorage keeps it under the site's key for the sheet,
   soStorage.key("sheet-<name>") (assets/storage-keys.js, loaded first), so it survives a reload, another tab
   of the same sheet takes it up at once, and Clear removes it. Nothing is sent anywhere.
   Nothing kept is ever dropped because the page changed: an answer or tick whose question is no longer on the
   page shows under "From an earlier version of this sheet", one whose question was renamed moves to it, and a
   stored copy this page cannot read (a later version's) is left as it is. */
(function () {
  "use strict";

  const SETTINGS = Object.freeze({
    // A screen reader can miss a message that replaces another in the same instant, so the status
    // region is emptied first and filled this long after.
    statusDelayMs: 50,
  });

  // The version of what is kept (see "What is kept" below). A stored copy of any other version is left
  // as it is: stateOf gives FOREIGN for it, and for a copy that is not a state at all.
  const VERSION = 1;
  const FOREIGN = Object.freeze({ foreign: true });

  const root = document.querySelector("form.so-sheet[data-so-sheet]");
  if (!root) {
    return;
  }
  // What the script says itself, in the page's language, from the page (secondopinions/sheet.py LABELS).
  const SAY = JSON.parse(root.querySelector("[data-so-status]").getAttribute("data-so-say"));

  const KEY = window.soStorage.key("sheet-" + root.getAttribute("data-so-sheet"));
  // Written and removed once at start to learn whether the browser lets this page save at all.
  const PROBE_KEY = window.soStorage.key("probe");
  // Where the sheets kept notes before keys held the site's path: one key for every copy of the site on
  // the address. The first copy opened takes its notes over (takeOverOldKey).
  const OLD_KEY = "so-sheet:" + root.getAttribute("data-so-sheet");
  const ownList = root.querySelector("[data-so-own-list]");
  const earlier = root.querySelector("[data-so-earlier]");
  const earlierList = earlier && earlier.querySelector("[data-so-earlier-list]");
  const newQuestion = root.querySelector("#so-new-q");
  const statusBox = root.querySelector("[data-so-status]");
  // The words live in the page, beside its promise to keep the notes; they show only when that promise fails.
  const storageWarnings = Array.from(document.querySelectorAll("[data-so-storage-warning]"));
  const foreignWarnings = Array.from(document.querySelectorAll("[data-so-foreign-warning]"));
  let ownCount = 0;
  let earlierCount = 0;

  // The prefixes of the ids that key what is kept: answers (a-), "Ask this" (ask-), the checklist's
  // ticks (asked-, got-) and the boxes about the visit (f-). What follows the prefix is the item's id.
  const PREFIXES = ["a-", "ask-", "asked-", "got-", "f-"];

  // Items renamed in the data: the old key of each answer or tick -> the key it has now.
  const renamed = new Map();
  for (const item of root.querySelectorAll("[data-so-was][data-so-id]")) {
    const now = item.getAttribute("data-so-id");
    for (const old of item.getAttribute("data-so-was").split(" ").filter(Boolean)) {
      for (const prefix of PREFIXES) {
        renamed.set(prefix + old, prefix + now);
      }
    }
  }
  // The last words of items taken off the sheet, by id, to show above what was kept for them.
  const retiredWords = new Map(
    Array.from(root.querySelectorAll("[data-so-retired] [data-so-id]")).map((el) => [el.getAttribute("data-so-id"), el.textContent])
  );

  // The browser's storage, or null when there is none: blocked storage throws on every use, and some
  // browsers give null when storage is turned off.
  const storage = (function () {
    try {
      const found = window.localStorage;
      found.getItem(KEY);
      return found;
    } catch {
      return null;
    }
  })();

  // What the stored copy held when this page last read or wrote it: the common ancestor for merging
  // with another tab's changes.
  let base = emptyState();
  let saving = true;
  // True while the stored copy is one this page cannot read (a later version's, or garbled): it is
  // left as it is, and nothing typed here is written over it.
  let foreign = false;

  function say(message) {
    if (!statusBox) {
      return;
    }
    statusBox.textContent = "";
    window.setTimeout(() => {
      statusBox.textContent = message;
    }, SETTINGS.statusDelayMs);
  }

  // Show or hide the warning that notes will not be kept; say it aloud when it newly applies while typing.
  function showSaving(ok, announce) {
    const changed = ok !== saving;
    saving = ok;
    for (const warning of storageWarnings) {
      warning.hidden = ok;
    }
    if (changed && !ok && announce && storageWarnings.length) {
      say(storageWarnings[0].textContent);
    }
  }

  // Show or hide the words that say the stored copy is one this page cannot read.
  function showForeign(on) {
    foreign = on;
    for (const warning of foreignWarnings) {
      warning.hidden = !on;
    }
  }

  // The key a box or tick is kept under: its id, or, for one kept from an earlier version, the key it had.
  function keyOf(el) {
    return el.getAttribute("data-so-key") || el.id;
  }

  // Text fields and answer boxes we keep: everything with an id except the "new question" box.
  function textFields() {
    return Array.from(root.querySelectorAll("input[type='text'][id], textarea[id]")).filter(
      (el) => el !== newQuestion && !el.closest("[data-so-own]")
    );
  }

  function checkboxes() {
    return Array.from(root.querySelectorAll("input[type='checkbox'][id]"));
  }

  function ownItems() {
    return ownList ? Array.from(ownList.querySelectorAll("[data-so-own]")) : [];
  }

  // Each answer box gets a plain-text copy for printing, so long answers print in full on every browser.
  function addPrintCopy(textarea) {
    textarea.setAttribute("placeholder", " "); // lets CSS tell an empty box (:placeholder-shown) from a filled one
    const copy = document.createElement("div");
    copy.className = "so-q__typed";
    copy.setAttribute("aria-hidden", "true");
    textarea.insertAdjacentElement("afterend", copy);
    syncPrintCopy(textarea);
  }

  function syncPrintCopy(textarea) {
    const copy = textarea.nextElementSibling;
    if (copy && copy.classList.contains("so-q__typed")) {
      copy.textContent = textarea.value;
    }
  }

  function setValue(el, value) {
    if (el.value !== value) {
      el.value = value; // only when it differs, so the caret stays put in the box being typed in
    }
    if (el.tagName === "TEXTAREA") {
      syncPrintCopy(el);
    }
  }

  function makeOwnItem(text, answer) {
    ownCount += 1;
    const li = document.createElement("li");
    li.className = "so-q so-q--own";
    li.setAttribute("data-so-own", "");

    const question = document.createElement("p");
    question.className = "so-q__text";
    question.id = "q-own-" + ownCount;
    question.dir = "auto"; // a family's own words, in any language: they never reorder what is around them
    question.textContent = text;

    const pick = document.createElement("div");
    pick.className = "so-q__pick";
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "md-button so-q__remove";
    remove.setAttribute("data-so-remove", "");
    remove.appendChild(document.createTextNode(SAY.remove));
    const hint = document.createElement("span");
    hint.className = "so-sr-only";
    hint.textContent = SAY.removeHint + text;
    remove.appendChild(hint);
    pick.appendChild(remove);

    const box = document.createElement("div");
    box.className = "so-q__answer";
    const area = document.createElement("textarea");
    area.id = "a-own-" + ownCount;
    area.rows = 2;
    area.setAttribute("aria-labelledby", question.id);
    area.value = answer || "";
    box.appendChild(area);

    li.appendChild(question);
    li.appendChild(pick);
    li.appendChild(box);
    ownList.appendChild(li);
    addPrintCopy(area);
    return li;
  }

  /* ---- What was kept by an earlier version of the sheet ------------------------------------- */

  function prefixOf(key) {
    return PREFIXES.find((prefix) => key.startsWith(prefix)) || "";
  }

  // How a tick of this kind starts out on the page ("Ask this" is ticked, "Got it" is not).
  function defaultTick(key) {
    for (const el of checkboxes()) {
      if (keyOf(el) === key) {
        return el.defaultChecked;
      }
    }
    const prefix = prefixOf(key);
    const sample = prefix && root.querySelector("input[type='checkbox'][id^='" + prefix + "']");
    return sample ? sample.defaultChecked : false;
  }

  // The page's own words for a tick of this kind ("Ask this", "Got it"), for one kept from before.
  function tickWords(key) {
    const prefix = prefixOf(key);
    const label = prefix && root.querySelector("label[for^='" + prefix + "']");
    return label && label.firstChild ? label.firstChild.textContent : key;
  }

  // A box or tick for every key the state holds that the page has no place for (its item was taken off
  // the sheet), in "From an earlier version of this sheet", so what was kept is shown and saved again.
  function showEarlier(state) {
    if (!earlierList) {
      return;
    }
    const known = new Set([...textFields(), ...checkboxes()].map(keyOf));
    const keys = [...Object.keys(state.fields), ...Object.keys(state.checks)].filter((key) => !known.has(key));
    for (const key of keys) {
      const item = key.slice(prefixOf(key).length) || key;
      let li = Array.from(earlierList.children).find((el) => el.getAttribute("data-so-item") === item);
      if (!li) {
        li = makeEarlierItem(item);
      }
      earlierCount += 1;
      if (key in state.fields) {
        const box = document.createElement("div");
        box.className = "so-q__answer";
        const area = document.createElement("textarea");
        area.id = "so-earlier-" + earlierCount;
        area.setAttribute("data-so-key", key);
        area.rows = 2;
        area.setAttribute("aria-labelledby", li.querySelector(".so-q__text").id);
        box.appendChild(area);
        li.appendChild(box);
        addPrintCopy(area);
      } else {
        const tick = document.createElement("span");
        tick.className = "so-earlier__tick";
        const input = document.createElement("input");
        input.type = "checkbox";
        input.id = "so-earlier-" + earlierCount;
        input.setAttribute("data-so-key", key);
        input.defaultChecked = defaultTick(key);
        const label = document.createElement("label");
        label.htmlFor = input.id;
        label.textContent = tickWords(key);
        tick.appendChild(input);
        tick.appendChild(label);
        li.querySelector(".so-earlier__ticks").appendChild(tick);
      }
    }
    if (earlierList.children.length && !earlier.querySelector("h2")) {
      const heading = document.createElement("h2");
      heading.textContent = earlier.getAttribute("data-so-heading");
      earlier.prepend(heading);
    }
    earlier.hidden = !earlierList.children.length;
  }

  function makeEarlierItem(item) {
    earlierCount += 1;
    const li = document.createElement("li");
    li.className = "so-q so-q--earlier";
    li.setAttribute("data-so-item", item);
    const words = document.createElement("p");
    words.className = "so-q__text";
    words.id = "so-earlier-" + earlierCount;
    words.dir = "auto";
    words.textContent = retiredWords.get(item) || earlier.getAttribute("data-so-unnamed");
    const ticks = document.createElement("div");
    ticks.className = "so-earlier__ticks";
    li.appendChild(words);
    li.appendChild(ticks);
    earlierList.appendChild(li);
    return li;
  }

  function forgetEarlier() {
    if (earlierList) {
      earlierList.replaceChildren();
      earlier.hidden = true;
    }
  }

  /* ---- What is kept ------------------------------------------------------------------------
     A state is { v: 1, fields: {id: text}, checks: {id: ticked}, own: [{text, answer}] }. It holds only
     what differs from the page as sent (typed text, changed ticks, own questions): the storage is shared
     with every page on this address (a project site on github.io shares it with other sites), so nothing
     more is kept there than is needed. A missing id means "as the page was sent". Its maps have no
     prototype, so a stored key such as "constructor" is only ever a key. */

  function emptyState() {
    return { v: VERSION, fields: Object.create(null), checks: Object.create(null), own: [] };
  }

  function currentState() {
    const state = emptyState();
    for (const el of textFields()) {
      if (el.value) {
        state.fields[keyOf(el)] = el.value;
      }
    }
    for (const el of checkboxes()) {
      if (el.checked !== el.defaultChecked) {
        state.checks[keyOf(el)] = el.checked;
      }
    }
    for (const li of ownItems()) {
      state.own.push({
        text: li.querySelector(".so-q__text").textContent,
        answer: li.querySelector("textarea").value,
      });
    }
    return state;
  }

  // A stored copy, checked field by field: anything of the wrong type is left out. A copy of another
  // version (a later page's), or one that is not a state at all, is FOREIGN: kept, never written over.
  function parseState(text) {
    let raw;
    try {
      raw = JSON.parse(text);
    } catch {
      return FOREIGN;
    }
    if (!raw || typeof raw !== "object" || Array.isArray(raw) || (raw.v !== undefined && raw.v !== VERSION)) {
      return FOREIGN;
    }
    const state = emptyState();
    // A renamed item's answer moves to its new key, unless that key holds an answer too: then both are kept.
    const moved = (map, key) => (renamed.has(key) && !(renamed.get(key) in map) ? renamed.get(key) : key);
    const fields = raw.fields && typeof raw.fields === "object" ? raw.fields : {};
    for (const id of Object.keys(fields).sort((a, b) => renamed.has(a) - renamed.has(b))) {
      if (typeof fields[id] === "string" && fields[id]) {
        state.fields[moved(state.fields, id)] = fields[id];
      }
    }
    const checks = raw.checks && typeof raw.checks === "object" ? raw.checks : {};
    for (const id of Object.keys(checks).sort((a, b) => renamed.has(a) - renamed.has(b))) {
      const key = moved(state.checks, id);
      // Older copies kept every tick; keep only the ones that differ from the page.
      if (typeof checks[id] === "boolean" && checks[id] !== defaultTick(key)) {
        state.checks[key] = checks[id];
      }
    }
    for (const item of Array.isArray(raw.own) ? raw.own : []) {
      if (item && typeof item.text === "string" && item.text.trim()) {
        state.own.push({ text: item.text, answer: typeof item.answer === "string" ? item.answer : "" });
      }
    }
    return state;
  }

  function isEmpty(state) {
    return !Object.keys(state.fields).length && !Object.keys(state.checks).length && !state.own.length;
  }

  function sameState(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  // Put a state on the page: every field, tick and own question, and what an earlier version kept.
  function showState(state) {
    showEarlier(state);
    for (const el of textFields()) {
      setValue(el, state.fields[keyOf(el)] || "");
    }
    for (const el of checkboxes()) {
      const key = keyOf(el);
      el.checked = typeof state.checks[key] === "boolean" ? state.checks[key] : el.defaultChecked;
    }
    if (!ownList) {
      return;
    }
    const items = ownItems();
    const texts = items.map((li) => li.querySelector(".so-q__text").textContent);
    // Compared as lists, not joined: a question may hold a line break (written by another script).
    if (JSON.stringify(texts) === JSON.stringify(state.own.map((item) => item.text))) {
      items.forEach((li, i) => {
        setValue(li.querySelector("textarea"), state.own[i].answer);
      });
      return;
    }
    const focused = items.indexOf(document.activeElement && document.activeElement.closest("[data-so-own]"));
    for (const li of items) {
      li.remove();
    }
    for (const item of state.own) {
      makeOwnItem(item.text, item.answer);
    }
    if (focused !== -1) {
      const again = ownItems()[Math.min(focused, state.own.length - 1)];
      (again ? again.querySelector("textarea") : newQuestion || root).focus();
    }
  }

  // Three-way merge: what changed here since `ancestor` wins, everything else comes from `theirs`.
  function merge(ancestor, ours, theirs) {
    const merged = emptyState();
    const pick = (was, mine, other) => (mine !== was ? mine : other);
    const ids = new Set([...Object.keys(ancestor.fields), ...Object.keys(ours.fields), ...Object.keys(theirs.fields)]);
    for (const id of ids) {
      const value = pick(ancestor.fields[id] || "", ours.fields[id] || "", theirs.fields[id] || "");
      if (value) {
        merged.fields[id] = value;
      }
    }
    const ticks = new Set([...Object.keys(ancestor.checks), ...Object.keys(ours.checks), ...Object.keys(theirs.checks)]);
    for (const key of ticks) {
      const start = defaultTick(key);
      const tick = (state) => (typeof state.checks[key] === "boolean" ? state.checks[key] : start);
      const value = pick(tick(ancestor), tick(ours), tick(theirs));
      if (value !== start) {
        merged.checks[key] = value;
      }
    }
    // Own questions are matched by their words (and which copy of those words, if asked twice).
    const keyed = (list) => {
      const seen = new Map();
      return new Map(
        list.map((item) => {
          seen.set(item.text, (seen.get(item.text) || 0) + 1);
          return [JSON.stringify([item.text, seen.get(item.text)]), item];
        })
      );
    };
    const was = keyed(ancestor.own);
    const mine = keyed(ours.own);
    const other = keyed(theirs.own);
    for (const [key, item] of other) {
      if (was.has(key) && !mine.has(key)) {
        continue; // removed here
      }
      const before = was.has(key) ? was.get(key).answer : "";
      const here = mine.has(key) ? mine.get(key).answer : before;
      merged.own.push({ text: item.text, answer: pick(before, here, item.answer) });
    }
    for (const [key, item] of mine) {
      if (!was.has(key) && !other.has(key)) {
        merged.own.push({ text: item.text, answer: item.answer }); // added here
      }
    }
    return merged;
  }

  /* ---- Reading and writing the stored copy ---------------------------------------------- */

  // A stored text as a state: an empty state when nothing is stored, or FOREIGN when this page cannot read it.
  function stateOf(text) {
    return text === null ? emptyState() : parseState(text);
  }

  // The stored copy, an empty state when there is none, FOREIGN when this page cannot read it, or null
  // when the storage cannot be reached (blocked).
  function readStored() {
    if (!storage) {
      return null;
    }
    try {
      return stateOf(storage.getItem(KEY));
    } catch {
      return null;
    }
  }

  // Write a state (or remove the key when there is nothing to keep); true when the stored copy now holds it.
  function write(state) {
    if (!storage || foreign) {
      return false;
    }
    try {
      if (isEmpty(state)) {
        storage.removeItem(KEY); // nothing typed or changed: keep nothing on the device
      } else {
        storage.setItem(KEY, JSON.stringify(state));
      }
    } catch {
      return false; // storage full or blocked: the sheet still works, but will not survive a reload
    }
    base = state;
    return true;
  }

  // Merge before every write, not only on the other tab's storage event: that event can arrive after
  // this tab's next keystroke, and a plain write would then wipe what the other tab just saved.
  function save() {
    let state = currentState();
    const theirs = readStored();
    if (theirs === FOREIGN) {
      showForeign(true); // a later version wrote it (another tab, say): leave it as it is
      return;
    }
    if (theirs && !sameState(theirs, base)) {
      const merged = merge(base, state, theirs);
      if (!sameState(merged, state)) {
        showState(merged);
      }
      state = merged;
    }
    showSaving(write(state), true);
  }

  // Take up what another tab (or this page, before Back brought it back) stored, keeping what was typed
  // here. `ancestor` is the state their change was made to; by default, what this page last wrote or read.
  function takeUpStored(theirs = readStored(), ancestor = base) {
    if (!theirs) {
      return;
    }
    if (theirs === FOREIGN) {
      showForeign(true);
      return;
    }
    showForeign(false);
    const ours = currentState();
    const merged = merge(ancestor && ancestor !== FOREIGN ? ancestor : base, ours, theirs);
    base = theirs;
    if (!sameState(merged, ours)) {
      showState(merged);
    }
    if (!sameState(merged, theirs)) {
      // Written as merged: save() would merge again with this tab's copy of the storage, which can be older.
      showSaving(write(merged), true);
    }
  }

  // Whether this page may write at all: a full or blocked storage refuses even a tiny test value.
  function canWrite() {
    if (!storage) {
      return false;
    }
    try {
      storage.setItem(PROBE_KEY, "1");
      storage.removeItem(PROBE_KEY);
      return true;
    } catch {
      return false;
    }
  }

  // Move notes kept under the old key (so-sheet:<name>) to this copy's key, so no family loses them. When
  // both hold notes, they are put together; a copy this page cannot read is left where it is.
  function takeOverOldKey() {
    if (!storage) {
      return;
    }
    try {
      const old = storage.getItem(OLD_KEY);
      if (old === null) {
        return;
      }
      const now = storage.getItem(KEY);
      if (now === null) {
        storage.setItem(KEY, old);
      } else {
        const ours = stateOf(now);
        const theirs = stateOf(old);
        if (ours === FOREIGN || theirs === FOREIGN) {
          return;
        }
        storage.setItem(KEY, JSON.stringify(merge(emptyState(), ours, theirs)));
      }
      storage.removeItem(OLD_KEY);
    } catch {
      // Full or blocked: the old key stays, and is taken over on a later visit.
    }
  }

  /* ---- Actions ---------------------------------------------------------------------------- */

  function addQuestion() {
    const text = newQuestion.value.trim();
    if (!text) {
      say(SAY.typeFirst);
      newQuestion.focus();
      return;
    }
    makeOwnItem(text, "");
    newQuestion.value = "";
    newQuestion.focus();
    save();
    say(SAY.added + text);
  }

  function removeQuestion(li) {
    const items = ownItems();
    const i = items.indexOf(li);
    const next = items[i + 1] || items[i - 1];
    li.remove();
    save();
    if (next) {
      next.querySelector("[data-so-remove]").focus();
    } else if (newQuestion) {
      newQuestion.focus();
    }
    say(SAY.removed);
  }

  function clearAll() {
    const ok = window.confirm(SAY.confirmClear);
    if (!ok) {
      return;
    }
    showState(emptyState());
    forgetEarlier();
    if (newQuestion) {
      newQuestion.value = "";
    }
    // Removing frees space, so it works even when storage is full; say "nothing is kept" only once it is so.
    let removed = false;
    if (storage) {
      try {
        storage.removeItem(KEY);
        storage.removeItem(OLD_KEY);
        removed = storage.getItem(KEY) === null && storage.getItem(OLD_KEY) === null;
      } catch {
        removed = false;
      }
    }
    if (removed) {
      base = emptyState();
      showForeign(false); // what this page could not read is gone too: the parent asked for it
      showSaving(canWrite(), false); // clearing may have made room
      say(SAY.cleared);
    } else {
      say(SAY.clearedPageOnly);
    }
  }

  /* ---- Start ------------------------------------------------------------------------------ */

  for (const area of root.querySelectorAll(".so-q__answer textarea")) {
    addPrintCopy(area);
  }
  takeOverOldKey();
  const stored = readStored();
  if (stored === FOREIGN) {
    showForeign(true);
  } else if (stored) {
    showState(stored);
    base = stored;
  }
  showSaving(canWrite(), false);

  for (const el of root.querySelectorAll("[data-so-host]")) {
    const home = document.querySelector("a.md-logo");
    const url = new URL(home ? home.href : "/", window.location.href);
    el.textContent = (url.host + url.pathname).replace(/\/+$/, "") || window.location.host;
  }

  for (const el of root.querySelectorAll("[data-so-js]")) {
    el.hidden = false;
  }

  // On an address other people's sites share (a github.io project site), they can read this storage: say so.
  for (const el of document.querySelectorAll("[data-so-shared-warning]")) {
    el.hidden = !window.soStorage.shared;
  }

  root.addEventListener("submit", (event) => {
    event.preventDefault();
  });

  root.addEventListener("input", (event) => {
    if (event.target === newQuestion) {
      return;
    }
    if (event.target.tagName === "TEXTAREA") {
      syncPrintCopy(event.target);
    }
    save();
  });

  root.addEventListener("change", (event) => {
    if (event.target.type === "checkbox") {
      save();
    }
  });

  root.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button || !root.contains(button)) {
      return;
    }
    if (button.hasAttribute("data-so-print")) {
      window.print();
    } else if (button.hasAttribute("data-so-clear")) {
      clearAll();
    } else if (button.hasAttribute("data-so-add")) {
      addQuestion();
    } else if (button.hasAttribute("data-so-remove")) {
      removeQuestion(button.closest("[data-so-own]"));
    }
  });

  if (newQuestion) {
    newQuestion.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        addQuestion();
      }
    });
  }

  // Another tab of this sheet saved (or cleared): take its changes up, so neither tab's save wipes the other's.
  // The event says what the other tab stored and what was stored before it (the state it changed): both
  // are read from the event, since this tab's copy of the storage can still hold this tab's own later
  // write, and the change is merged against what it was made to.
  window.addEventListener("storage", (event) => {
    if (event.key === KEY) {
      takeUpStored(stateOf(event.newValue), stateOf(event.oldValue));
    } else if (event.key === null) {
      takeUpStored();
    }
  });

  // Back and Forward can bring this page back as it was; another tab may have saved since.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) {
      takeUpStored();
    }
  });
})();
