/* Question sheet and records checklist.
   Runs only on a page with <form class="so-sheet" data-so-sheet="...">; on every other page it does nothing.
   What a parent types stays in this browser: localStorage keeps it under "so-sheet:<name>" so it survives
   a reload, another tab of the same sheet takes it up at once, and Clear removes it. Nothing is sent anywhere. */
(function () {
  "use strict";

  const SETTINGS = Object.freeze({
    // A screen reader can miss a message that replaces another in the same instant, so the status
    // region is emptied first and filled this long after.
    statusDelayMs: 50,
    // Written and removed once at start to learn whether the browser lets this page save at all.
    probeKey: "so-sheet:test",
  });

  // What the script says itself, in the page's language (<html lang>); the form's own words come from
  // secondopinions/sheet.py LABELS. The Spanish is the writer's (directory-ui.es.yaml, `sheets:`).
  const WORDS = Object.freeze({
    en: {
      remove: "Remove",
      removeHint: " your question: ",
      typeFirst: "Type your question in the box first.",
      added: "Added your question: ",
      removed: "Removed your question.",
      confirmClear: "Clear this sheet? This wipes everything you typed and ticked here, and the copy kept on this device.",
      cleared: "Cleared. Nothing from this sheet is kept on this device now. The site's offline copy never holds notes.",
      clearedPageOnly:
        "Cleared this page. This browser is not letting the page reach its saved copy, so notes saved here before may still be on this device.",
    },
    es: {
      remove: "Quitar",
      removeHint: " su pregunta: ",
      typeFirst: "Primero escriba su pregunta en el cuadro.",
      added: "Se agregó su pregunta: ",
      removed: "Se quitó su pregunta.",
      confirmClear:
        "¿Borrar esta hoja? Esto quita todo lo que escribió y marcó aquí, y la copia guardada en este aparato.",
      cleared: "Borrado. Ya no queda nada de esta hoja en este aparato. La copia del sitio para usar sin conexión nunca guarda notas.",
      clearedPageOnly:
        "Se borró esta página. Este navegador no deja que la página llegue a su copia guardada, así que las notas guardadas antes tal vez sigan en este aparato.",
    },
  });

  const root = document.querySelector("form.so-sheet[data-so-sheet]");
  if (!root) {
    return;
  }
  const SAY = WORDS[(document.documentElement.lang || "en").slice(0, 2)] || WORDS.en;

  const KEY = "so-sheet:" + root.getAttribute("data-so-sheet");
  const ownList = root.querySelector("[data-so-own-list]");
  const newQuestion = root.querySelector("#so-new-q");
  const statusBox = root.querySelector("[data-so-status]");
  // The words live in the page, beside its promise to keep the notes; they show only when that promise fails.
  const storageWarnings = Array.from(document.querySelectorAll("[data-so-storage-warning]"));
  let ownCount = 0;

  // The browser's storage, or null when there is none: blocked storage throws on every use, and some
  // browsers give null when storage is turned off.
  const storage = (function () {
    try {
      const found = window.localStorage;
      found.getItem(KEY);
      return found;
    } catch (error) {
      return null;
    }
  })();

  // What the stored copy held when this page last read or wrote it: the common ancestor for merging
  // with another tab's changes.
  let base = emptyState();
  let saving = true;

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

  /* ---- What is kept ------------------------------------------------------------------------
     A state is { v: 1, fields: {id: text}, checks: {id: ticked}, own: [{text, answer}] }. It holds only
     what differs from the page as sent (typed text, changed ticks, own questions): the storage is shared
     with every page on this address (a project site on github.io shares it with other sites), so nothing
     more is kept there than is needed. A missing id means "as the page was sent". */

  function emptyState() {
    return { v: 1, fields: {}, checks: {}, own: [] };
  }

  function currentState() {
    const state = emptyState();
    for (const el of textFields()) {
      if (el.value) {
        state.fields[el.id] = el.value;
      }
    }
    for (const el of checkboxes()) {
      if (el.checked !== el.defaultChecked) {
        state.checks[el.id] = el.checked;
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

  // A stored copy, checked field by field: anything of the wrong type is left out.
  function parseState(text) {
    let raw;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      return null;
    }
    if (!raw || typeof raw !== "object") {
      return null;
    }
    const state = emptyState();
    const fields = raw.fields && typeof raw.fields === "object" ? raw.fields : {};
    for (const id of Object.keys(fields)) {
      if (typeof fields[id] === "string" && fields[id]) {
        state.fields[id] = fields[id];
      }
    }
    const checks = raw.checks && typeof raw.checks === "object" ? raw.checks : {};
    for (const el of checkboxes()) {
      // Older copies kept every tick; keep only the ones that differ from the page.
      if (typeof checks[el.id] === "boolean" && checks[el.id] !== el.defaultChecked) {
        state.checks[el.id] = checks[el.id];
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

  // Put a state on the page: every field, tick and own question.
  function showState(state) {
    for (const el of textFields()) {
      setValue(el, state.fields[el.id] || "");
    }
    for (const el of checkboxes()) {
      el.checked = typeof state.checks[el.id] === "boolean" ? state.checks[el.id] : el.defaultChecked;
    }
    if (!ownList) {
      return;
    }
    const items = ownItems();
    const texts = items.map((li) => li.querySelector(".so-q__text").textContent);
    if (texts.join("\n") === state.own.map((item) => item.text).join("\n")) {
      items.forEach((li, i) => setValue(li.querySelector("textarea"), state.own[i].answer));
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
    for (const el of checkboxes()) {
      const tick = (state) => (typeof state.checks[el.id] === "boolean" ? state.checks[el.id] : el.defaultChecked);
      const value = pick(tick(ancestor), tick(ours), tick(theirs));
      if (value !== el.defaultChecked) {
        merged.checks[el.id] = value;
      }
    }
    // Own questions are matched by their words (and which copy of those words, if asked twice).
    const keyed = (list) => {
      const seen = {};
      return new Map(
        list.map((item) => {
          seen[item.text] = (seen[item.text] || 0) + 1;
          return [item.text + "\n" + seen[item.text], item];
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

  // A stored text as a state: an empty state when nothing is stored, or null when it is garbled.
  function stateOf(text) {
    return text === null ? emptyState() : parseState(text);
  }

  // The stored copy, an empty state when there is none, or null when it cannot be read (blocked, or garbled).
  function readStored() {
    if (!storage) {
      return null;
    }
    try {
      return stateOf(storage.getItem(KEY));
    } catch (error) {
      return null;
    }
  }

  // Write a state (or remove the key when there is nothing to keep); true when the stored copy now holds it.
  function write(state) {
    if (!storage) {
      return false;
    }
    try {
      if (isEmpty(state)) {
        storage.removeItem(KEY); // nothing typed or changed: keep nothing on the device
      } else {
        storage.setItem(KEY, JSON.stringify(state));
      }
    } catch (error) {
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
    const ours = currentState();
    const merged = merge(ancestor || base, ours, theirs);
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
      storage.setItem(SETTINGS.probeKey, "1");
      storage.removeItem(SETTINGS.probeKey);
      return true;
    } catch (error) {
      return false;
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
    if (newQuestion) {
      newQuestion.value = "";
    }
    // Removing frees space, so it works even when storage is full; say "nothing is kept" only once it is so.
    let removed = false;
    if (storage) {
      try {
        storage.removeItem(KEY);
        removed = storage.getItem(KEY) === null;
      } catch (error) {
        removed = false;
      }
    }
    if (removed) {
      base = emptyState();
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
  const stored = readStored();
  if (stored) {
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
