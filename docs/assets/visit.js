/* My visit. Two jobs, each only where its page has the parts for it:
   - "Save for my visit": a button on every program (each element with data-program-id) in the directory
     and on each program's page, when the page carries the button's words ([data-so-visit-words]);
   - the My visit page ([data-so-visit]): the saved programs, the family's questions and records
     checklist, one printed packet, a file to take it all to another device, and Clear.
   What a family saves stays in this browser (localStorage), under this site's own keys. Nothing is
   sent anywhere: a file is made and read on this device. */
(function () {
  "use strict";

  const SETTINGS = Object.freeze({
    // A screen reader can miss a message that replaces another in the same instant (as in sheet.js).
    statusDelayMs: 50,
    // What the browser keeps for My visit, and the layout of a saved file. A file of another version is
    // refused whole; a kept state of another version is read for what it shares with this one.
    stateVersion: 1,
    fileFormat: "second-opinions-my-visit",
    fileVersion: 1,
    // A real visit file is a few kilobytes; anything this large is not one, and is not read.
    fileMaxBytes: 1024 * 1024,
  });

  // This script's own address, read now: document.currentScript is only set while the script first runs.
  const SCRIPT_URL = document.currentScript ? document.currentScript.src : "";

  /* ---- Where things are kept -----------------------------------------------------------------------
     Every key starts with "so-" and holds the site's base path, so two copies of the site on one address
     (two project sites on one github.io host) never read or wipe each other's: "so-/:visit" for a site
     at the root, "so-/second-opinions/:visit" for one under /second-opinions/. */

  // The site's base path ("/" or "/second-opinions/"): the folder that holds this script's assets/ folder,
  // so it is right wherever the site is served, in every language.
  function basePath() {
    const path = new URL(SCRIPT_URL || "assets/visit.js", window.location.href).pathname;
    const at = path.lastIndexOf("/assets/");
    return at === -1 ? "/" : path.slice(0, at + 1);
  }

  function keyFor(name) {
    return "so-" + basePath() + ":" + name;
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
    } catch (error) {
      return null;
    }
  })();

  function readKey(key) {
    if (!storage) {
      return null;
    }
    try {
      return storage.getItem(key);
    } catch (error) {
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
    } catch (error) {
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
     The question sheet and the records checklist keep what a family typed under "so-sheet:<name>" (names
     below; "-es" for the Spanish sheets) as {v: 1, fields: {id: text}, checks: {id: ticked}, own: [{text,
     answer}]}, holding only what differs from the page as sent. SHEET_NAMES, sheetKey, readSheet and
     sheetText are the only places this script knows that: change them with sheet.js. */

  const SHEET_NAMES = ["questions", "records", "questions-es", "records-es"];

  function sheetKey(name) {
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
    } catch (error) {
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
          (ticks[id] = ticks[id] || {})[record] = kept;
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
    } catch (error) {
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
    } catch (error) {
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

  /* ---- "Save for my visit" ------------------------------------------------------------------------ */

  // Each program's name and institution from the page's structured data (JSON-LD: the directory's list, or
  // the program page's own), for the buttons' names and the saved label.
  function programNames() {
    const names = {};
    for (const block of document.querySelectorAll('script[type="application/ld+json"]')) {
      let data;
      try {
        data = JSON.parse(block.textContent);
      } catch (error) {
        continue;
      }
      const items = Array.isArray(data.itemListElement) ? data.itemListElement.map((entry) => entry && entry.item) : [data];
      for (const item of items) {
        if (isObject(item) && typeof item["@id"] === "string" && typeof item.name === "string") {
          const institution = isObject(item.provider) && typeof item.provider.name === "string" ? item.provider.name : "";
          names[item["@id"].split("#").pop()] = institution ? item.name + ", " + institution : item.name;
        }
      }
    }
    return names;
  }

  function setUpSaveButtons() {
    const holders = Array.from(document.querySelectorAll("[data-program-id]"));
    const say = readJSON("[data-so-visit-words]");
    if (!holders.length || !say) {
      return null;
    }
    const names = programNames();
    const where = document.querySelector(".md-content") || document.body;
    // A live region of its own, not a second role="status": the directory's status line is the one
    // region that says how many programs are shown (docs: the directory's contract).
    const status = where.appendChild(el("p", { className: "so-sr-only", attrs: { "aria-live": "polite", "data-so-save-status": "" } }));
    const announce = statusSayer(status);
    const href = visitPageHref();
    const buttons = [];

    for (const holder of holders) {
      const id = holder.getAttribute("data-program-id");
      if (!PROGRAM_ID.test(id)) {
        continue;
      }
      const heading = holder.querySelector("h1, h2, h3, h4");
      const name = names[id] || (heading ? heading.textContent.replace(/\s+/g, " ").trim() : id);
      const button = el(
        "button",
        { type: "button", className: "md-button so-save__button", attrs: { "aria-pressed": "false", "data-so-save": id } },
        say.save_button,
        srOnly(": " + name)
      );
      button.soName = name;
      const see = el("a", { className: "so-save__see", href: href, hidden: true }, say.save_see);
      const box = el("div", { className: "so-save" }, button, see);
      // Above the program's facts, where a reader of the card or page meets it early; else at its end.
      const facts = Array.from(holder.children).find((child) => child.tagName === "DL");
      holder.insertBefore(box, facts || null);
      buttons.push(button);
    }

    function refresh() {
      const saved = new Set(readVisit().programs.map((p) => p.id));
      for (const button of buttons) {
        const on = saved.has(button.getAttribute("data-so-save"));
        button.setAttribute("aria-pressed", on ? "true" : "false");
        button.nextElementSibling.hidden = !on;
      }
    }

    document.addEventListener("click", (event) => {
      const button = event.target.closest("[data-so-save]");
      if (!button) {
        return;
      }
      const id = button.getAttribute("data-so-save");
      const state = readVisit(); // as kept now: another tab may have saved since this page opened
      const at = state.programs.findIndex((p) => p.id === id);
      if (at === -1) {
        state.programs.push({ id: id, label: button.soName });
      } else {
        state.programs.splice(at, 1);
        if (state.chosen === id) {
          state.chosen = "";
        }
      }
      if (!writeVisit(state)) {
        refresh();
        announce(fill(say.save_blocked, { name: button.soName }));
        return;
      }
      refresh();
      announce(fill(at === -1 ? say.save_saved : say.save_removed, { name: button.soName }));
    });

    refresh();
    return refresh;
  }

  /* ---- The My visit page ------------------------------------------------------------------------ */

  function setUpVisitPage(root) {
    const data = readJSON("[data-so-visit-data]");
    if (!data) {
      return null;
    }
    const t = data.words;
    const english = data.lang !== "en"; // free text from the data is English: marked so on other pages
    const statusBox = root.querySelector("[data-so-visit-status]");
    const say = statusSayer(statusBox);
    const fileInput = root.querySelector("[data-so-visit-file]");
    const chooser = root.querySelector("#so-visit-choose");
    const storageWarnings = Array.from(document.querySelectorAll("[data-so-storage-warning]"));
    const knownQuestions = new Set(data.questions.flatMap((g) => g.questions.map((q) => q.id)));
    // What a file brought when the browser would not keep it: shown (and printed) until the page closes.
    let memory = null;

    function part(name) {
      return root.querySelector("[data-so-visit-" + name + "]");
    }

    function showSaving(ok) {
      for (const warning of storageWarnings) {
        warning.hidden = ok;
      }
    }

    function englishText(node) {
      if (english) {
        node.lang = "en";
      }
      return node;
    }

    // Everything the page shows: what the browser keeps, or what a file brought that it would not keep.
    function snapshot() {
      if (memory) {
        return memory;
      }
      const sheets = {};
      for (const name of SHEET_NAMES) {
        sheets[name] = readSheet(name);
      }
      return { visit: readVisit(), sheets: sheets };
    }

    // Change what My visit keeps (or shows, from a file): `change` edits the state as kept right now.
    function changeVisit(change) {
      if (memory) {
        change(memory.visit);
        return true;
      }
      const state = readVisit();
      change(state);
      const ok = writeVisit(state);
      showSaving(ok);
      return ok;
    }

    function programName(id, saved) {
      const p = data.programs[id];
      return p ? p.program + ", " + p.institution : saved.label || id;
    }

    function setText(node, text) {
      node.textContent = "";
      node.append(text ? text : el("span", { className: "so-visit__blank" }, t.visit_blank));
    }

    /* The cover: child, date, the program the visit is with, its phone, address and what to send. */
    function renderCover(snap, chosen) {
      const questions = snap.sheets[data.sheets.questions];
      const records = snap.sheets[data.sheets.records];
      setText(part("child"), questions.fields["f-child"] || records.fields["f-child"] || "");
      setText(part("date"), questions.fields["f-date"] || records.fields["f-date"] || "");
      const saved = snap.visit.programs.find((p) => p.id === chosen);
      const p = chosen ? data.programs[chosen] : null;
      setText(part("chosen"), saved ? programName(chosen, saved) : "");
      const phone = part("phone");
      phone.textContent = "";
      if (p && p.phone) {
        phone.append(el("a", { href: p.tel }, p.phone));
      } else {
        setText(phone, p ? t.visit_not_stated : "");
      }
      const email = part("email");
      email.textContent = "";
      part("email-row").hidden = !(p && p.email);
      if (p && p.email) {
        email.append(el("a", { href: "mailto:" + p.email }, p.email));
      }
      const url = part("url");
      url.textContent = "";
      if (p) {
        url.append(el("a", { href: p.url }, p.url));
      } else {
        setText(url, "");
      }
      const send = part("send");
      send.textContent = "";
      if (p && p.records.length) {
        send.append(englishText(el("ul", {}, ...p.records.map((r) => el("li", {}, r)))));
      } else if (p) {
        send.append(el("p", {}, t.visit_send_unknown));
      } else {
        send.append(el("div", { className: "so-visit__lines", attrs: { "aria-hidden": "true" } }));
      }

      // With two programs or more, the list to choose from names the program; on paper, the cover does.
      const choose = part("choose");
      choose.hidden = snap.visit.programs.length < 2;
      part("chosen").parentElement.classList.toggle("so-visit__print-only", !choose.hidden);
      chooser.textContent = "";
      for (const item of snap.visit.programs) {
        chooser.append(el("option", { value: item.id, selected: item.id === chosen }, programName(item.id, item)));
      }
    }

    /* The saved programs, each with what a family acts on. */
    function fact(label, value, fromData) {
      const dd = el("dd", {});
      if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) {
        dd.append(t.visit_not_stated);
      } else {
        dd.append(value);
        if (fromData) {
          englishText(dd);
        }
      }
      return el("div", {}, el("dt", {}, label), dd);
    }

    function renderPrograms(snap) {
      const box = part("programs");
      box.textContent = "";
      if (!snap.visit.programs.length) {
        box.append(el("p", { className: "so-visit__none" }, t.visit_programs_none));
        return;
      }
      for (const saved of snap.visit.programs) {
        const id = saved.id;
        const p = data.programs[id];
        const name = p ? p.program : saved.label || id;
        const card = el("article", { className: "so-visit__program", attrs: { "aria-labelledby": "so-visit-p-" + id } });
        card.append(el("h3", { id: "so-visit-p-" + id }, name));
        if (!p) {
          card.append(el("p", { className: "so-visit__gone" }, t.visit_program_gone + " ", el("strong", {}, saved.label || id)));
        } else {
          card.append(el("p", { className: "so-visit__at" }, p.institution + ", " + p.place));
          if (p.not_for_urgent) {
            card.append(el("p", { className: "so-visit__urgent" }, el("strong", {}, t.not_for_urgent)));
          }
          const facts = el("dl", { className: "so-visit__facts" });
          facts.append(fact(t.who_can_ask, p.who_can_ask));
          facts.append(fact(t.format, p.formats ? p.formats.join(", ") : ""));
          facts.append(fact(t.phone, p.phone ? el("a", { href: p.tel }, p.phone) : ""));
          if (p.email) {
            facts.append(fact(t.email, el("a", { href: "mailto:" + p.email }, p.email)));
          }
          facts.append(fact(t.visit_page, el("a", { href: p.url }, p.url)));
          facts.append(fact(t.cost, p.cost || "", true));
          facts.append(fact(t.records, p.records.length ? el("ul", {}, ...p.records.map((r) => el("li", {}, r))) : "", true));
          if (p.note) {
            facts.append(fact(t.note, p.note, true));
          }
          card.append(facts);
          card.append(
            el("p", { className: "so-visit__details" },
              el("a", { href: "../directory/" + id + "/" }, t.visit_details, srOnly(": " + name)))
          );
        }
        card.append(
          el("button", {
            type: "button",
            id: "so-visit-remove-" + id,
            className: "md-button so-visit__remove",
            attrs: { "data-so-visit-remove": id },
          }, t.visit_remove, srOnly(": " + name))
        );
        box.append(card);
      }
    }

    /* The family's questions: those ticked "Ask this" on the question sheet, with what was typed, then
       their own. */
    function answer(text) {
      return text
        ? el("p", { className: "so-visit__answer" }, text)
        : el("div", { className: "so-visit__lines", attrs: { "aria-hidden": "true" } });
    }

    function renderQuestions(snap) {
      const sheet = snap.sheets[data.sheets.questions];
      const box = part("questions");
      box.textContent = "";
      let number = 0;
      let left = 0;
      for (const group of data.questions) {
        const asked = group.questions.filter((q) => sheet.checks["ask-" + q.id] !== false);
        left += group.questions.length - asked.length;
        if (!asked.length) {
          continue;
        }
        const list = el("ol", { className: "so-visit__qs", start: number + 1 });
        for (const q of asked) {
          number += 1;
          list.append(el("li", { className: "so-visit__q" }, el("p", { className: "so-visit__q-text" }, q.text),
            answer(sheet.fields["a-" + q.id])));
        }
        box.append(el("div", { className: "so-visit__group" }, el("h3", {}, group.heading), list));
      }
      const own = el("ol", { className: "so-visit__qs", start: number + 1 });
      for (const item of sheet.own) {
        own.append(el("li", { className: "so-visit__q" }, el("p", { className: "so-visit__q-text" }, item.text), answer(item.answer)));
      }
      // Room to write more by hand, on paper only.
      own.append(el("li", { className: "so-visit__q so-visit__print-only so-visit__write-in", attrs: { "aria-hidden": "true" } },
        el("div", { className: "so-visit__lines" })));
      box.append(el("div", { className: "so-visit__group" }, el("h3", {}, t.visit_own), own));
      // Answers kept for questions the sheet no longer has: shown, never dropped.
      const gone = Object.keys(sheet.fields).filter((id) => id.startsWith("a-") && id !== "a-notes" &&
        !knownQuestions.has(id.slice(2)));
      if (gone.length) {
        box.append(el("div", { className: "so-visit__group" }, el("h3", {}, t.visit_gone_notes),
          el("ul", {}, ...gone.map((id) => el("li", { className: "so-visit__answer" }, sheet.fields[id])))));
      }
      if (left) {
        box.append(el("p", { className: "so-visit__left-out" }, fill(t.visit_questions_left_out, { count: left })));
      }
    }

    /* The records checklist: each saved program's own list to tick here, then the checklist's ticks. */
    function tickBox(id, which, on, label, record, programId) {
      const input = el("input", { type: "checkbox", id: id, checked: on });
      input.setAttribute("data-so-visit-tick", which);
      input.soProgram = programId;
      input.soRecord = record;
      return el("span", { className: "so-visit__tick" }, input, el("label", { htmlFor: id }, label, srOnly(": " + record)));
    }

    function mark(on, label) {
      return el("span", { className: "so-visit__mark" + (on ? " so-visit__mark--on" : "") },
        label, srOnly(": " + (on ? t.visit_yes : t.visit_not_yet)));
    }

    function renderChecklist(snap, chosen) {
      const box = part("checklist");
      box.textContent = "";
      for (const saved of snap.visit.programs) {
        const id = saved.id;
        const p = data.programs[id];
        const name = p ? p.program : saved.label || id;
        const ticks = snap.visit.ticks[id] || {};
        const group = el("div", { className: "so-visit__group so-visit__own-records" + (id === chosen ? "" : " so-visit__screen-only") });
        group.append(el("h3", {}, fill(t.visit_program_records, { program: name })));
        const listed = p ? p.records : [];
        // Ticks on records the program no longer lists are kept and shown, marked so.
        const gone = Object.keys(ticks).filter((record) => !listed.includes(record));
        if (!listed.length && !gone.length) {
          group.append(el("p", {}, t.visit_send_unknown));
        } else {
          group.append(el("p", { className: "so-visit__screen-only so-visit__hint" }, t.visit_program_records_hint));
          const list = el("ul", { className: "so-visit__records" });
          listed.concat(gone).forEach((record, i) => {
            const tick = ticks[record] || {};
            const base = "so-vt-" + id + "-" + i;
            const words = englishText(el("span", { className: "so-visit__rec-name" }, record));
            const item = el("li", { className: "so-visit__rec" }, words);
            if (i >= listed.length) {
              item.append(el("span", { className: "so-visit__rec-gone" }, t.visit_record_gone));
            }
            item.append(el("span", { className: "so-visit__ticks" },
              tickBox(base + "-asked", "asked", Boolean(tick.asked), t.visit_asked, record, id),
              tickBox(base + "-got", "got", Boolean(tick.got), t.visit_got, record, id)));
            list.append(item);
          });
          group.append(list);
        }
        box.append(group);
      }

      const sheet = snap.sheets[data.sheets.records];
      const all = el("div", { className: "so-visit__group" }, el("h3", {}, t.visit_all_records));
      if (sheet.fields["f-program"]) {
        all.append(el("p", {}, el("strong", {}, t.visit_send_to + ": "), sheet.fields["f-program"]));
      }
      const list = el("ul", { className: "so-visit__records" });
      for (const r of data.records) {
        const asked = sheet.checks["asked-" + r.id] === true;
        const got = sheet.checks["got-" + r.id] === true;
        list.append(el("li", { className: "so-visit__rec" },
          el("span", { className: "so-visit__rec-name" }, r.name,
            el("span", { className: "so-visit__rec-who" }, t.visit_who_has_it + ": " + r.who_has_it)),
          el("span", { className: "so-visit__ticks" },
            mark(asked, t.visit_asked),
            mark(got, t.visit_got),
            asked || got ? null : el("span", { className: "so-visit__not-ticked so-visit__screen-only" }, t.visit_not_ticked))));
      }
      all.append(list);
      box.append(all);
      const notes = sheet.fields["a-notes"];
      if (notes) {
        box.append(el("div", { className: "so-visit__group" }, el("h3", {}, t.visit_notes),
          el("p", { className: "so-visit__answer" }, notes)));
      }
    }

    function render() {
      // Put the focus back where it was when the page is redrawn (another tab saved, a file opened).
      const focused = document.activeElement && root.contains(document.activeElement) ? document.activeElement.id : "";
      const snap = snapshot();
      const ids = snap.visit.programs.map((p) => p.id);
      const chosen = ids.includes(snap.visit.chosen) ? snap.visit.chosen : ids[0] || "";
      renderCover(snap, chosen);
      renderPrograms(snap);
      renderQuestions(snap);
      renderChecklist(snap, chosen);
      if (focused && !root.contains(document.activeElement)) {
        const again = document.getElementById(focused);
        if (again) {
          again.focus();
        }
      }
    }

    /* ---- Actions ---- */

    function removeProgram(id) {
      const saved = snapshot().visit.programs;
      const at = saved.findIndex((p) => p.id === id);
      if (at === -1) {
        return;
      }
      const name = programName(id, saved[at]);
      const next = saved[at + 1] || saved[at - 1];
      const ok = changeVisit((state) => {
        state.programs = state.programs.filter((p) => p.id !== id);
        if (state.chosen === id) {
          state.chosen = "";
        }
      });
      render();
      const focus = next ? document.getElementById("so-visit-remove-" + next.id) : part("programs").closest("section").querySelector("a");
      if (focus) {
        focus.focus();
      }
      say(ok ? fill(t.save_removed, { name: name }) : t.visit_not_kept);
    }

    function tick(input) {
      const which = input.getAttribute("data-so-visit-tick");
      const ok = changeVisit((state) => {
        const list = (state.ticks[input.soProgram] = state.ticks[input.soProgram] || {});
        const entry = Object.assign({}, list[input.soRecord]);
        if (input.checked) {
          entry[which] = true;
        } else {
          delete entry[which];
        }
        if (Object.keys(entry).length) {
          list[input.soRecord] = entry;
        } else {
          delete list[input.soRecord];
        }
        if (!Object.keys(list).length) {
          delete state.ticks[input.soProgram];
        }
      });
      if (!ok) {
        say(t.visit_not_kept);
      }
    }

    function choose(id) {
      const ok = changeVisit((state) => {
        state.chosen = id;
      });
      render();
      if (!ok) {
        say(t.visit_not_kept);
      }
    }

    function today() {
      const now = new Date();
      const two = (n) => String(n).padStart(2, "0");
      return now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" + two(now.getDate());
    }

    // The file: the saved programs, the program chosen, the ticks, and every sheet's notes, in both languages.
    function fileOf(snap) {
      const sheets = {};
      for (const name of SHEET_NAMES) {
        if (!sheetIsEmpty(snap.sheets[name])) {
          sheets[name] = snap.sheets[name];
        }
      }
      return {
        format: SETTINGS.fileFormat,
        version: SETTINGS.fileVersion,
        saved: today(),
        programs: snap.visit.programs,
        chosen: snap.visit.chosen,
        ticks: snap.visit.ticks,
        sheets: sheets,
      };
    }

    function saveFile() {
      const name = t.visit_file_name + "-" + today() + ".json";
      const text = JSON.stringify(fileOf(snapshot()), null, 1) + "\n";
      try {
        const address = URL.createObjectURL(new Blob([text], { type: "application/json" }));
        const link = el("a", { href: address, download: name, hidden: true });
        document.body.append(link);
        link.click();
        link.remove();
        window.setTimeout(() => URL.revokeObjectURL(address), 10000);
      } catch (error) {
        say(t.visit_file_not_saved);
        return;
      }
      say(fill(t.visit_file_saved, { file: name }));
    }

    // A file's contents as a snapshot, or the sentence saying why it is refused. Every part is checked
    // before anything is changed: a file with one wrong part is refused whole.
    function readFile(text) {
      const refuse = (message) => ({ message: message });
      const body = text.replace(/^\uFEFF/, "").trim();
      if (!body.startsWith("{")) {
        return refuse(t.visit_file_other);
      }
      let raw;
      try {
        raw = JSON.parse(body);
      } catch (error) {
        return refuse(t.visit_file_damaged);
      }
      if (!isObject(raw) || raw.format !== SETTINGS.fileFormat) {
        return refuse(t.visit_file_other);
      }
      if (!Number.isInteger(raw.version)) {
        return refuse(t.visit_file_damaged);
      }
      if (raw.version > SETTINGS.fileVersion) {
        return refuse(t.visit_file_newer);
      }
      if (raw.version < SETTINGS.fileVersion) {
        return refuse(t.visit_file_older);
      }
      const damaged = refuse(t.visit_file_damaged);
      const programs = raw.programs;
      if (!Array.isArray(programs) || !programs.every((p) => isObject(p) && typeof p.id === "string" &&
          PROGRAM_ID.test(p.id) && (p.label === undefined || typeof p.label === "string"))) {
        return damaged;
      }
      if (raw.chosen !== undefined && typeof raw.chosen !== "string") {
        return damaged;
      }
      const ticks = raw.ticks === undefined ? {} : raw.ticks;
      if (!isObject(ticks) || !Object.values(ticks).every((list) => isObject(list) && Object.values(list).every((tick) =>
          isObject(tick) && Object.values(tick).every((value) => typeof value === "boolean")))) {
        return damaged;
      }
      const sheets = raw.sheets === undefined ? {} : raw.sheets;
      if (!isObject(sheets) || !Object.keys(sheets).every((name) => SHEET_NAMES.includes(name))) {
        return damaged;
      }
      const snap = { visit: cleanVisit({ v: SETTINGS.stateVersion, programs: programs, chosen: raw.chosen, ticks: ticks }), sheets: {} };
      for (const name of SHEET_NAMES) {
        const sheet = sheets[name] === undefined ? {} : sheets[name];
        const fine = isObject(sheet) &&
          (sheet.fields === undefined || (isObject(sheet.fields) && Object.values(sheet.fields).every((v) => typeof v === "string"))) &&
          (sheet.checks === undefined || (isObject(sheet.checks) && Object.values(sheet.checks).every((v) => typeof v === "boolean"))) &&
          (sheet.own === undefined || (Array.isArray(sheet.own) && sheet.own.every((item) => isObject(item) &&
            typeof item.text === "string" && (item.answer === undefined || typeof item.answer === "string"))));
        if (!fine) {
          return damaged;
        }
        snap.sheets[name] = cleanSheet(sheet);
      }
      if (snap.visit.programs.length !== programs.length) {
        return damaged; // the same program twice
      }
      return { snap: snap };
    }

    // Put a file's snapshot in place of everything kept, all or nothing; when the browser will not keep it,
    // show it (it still prints) and say so.
    function apply(snap) {
      const keys = [VISIT_KEY].concat(SHEET_NAMES.map(sheetKey));
      const texts = [visitText(snap.visit)].concat(SHEET_NAMES.map((name) => sheetText(snap.sheets[name])));
      if (canWrite()) {
        const before = keys.map(readKey);
        if (keys.every((key, i) => writeKey(key, texts[i]))) {
          memory = null;
          showSaving(true);
          render();
          say(t.visit_opened);
          return;
        }
        keys.forEach((key, i) => writeKey(key, before[i]));
      }
      memory = snap;
      showSaving(false);
      render();
      say(t.visit_opened_not_kept);
    }

    function openFile(file) {
      if (!file) {
        return;
      }
      if (file.size > SETTINGS.fileMaxBytes) {
        say(t.visit_file_other);
        return;
      }
      file.text().then(
        (text) => {
          const found = readFile(text);
          if (!found.snap) {
            say(found.message);
            return;
          }
          const question = fill(t.visit_confirm_open, {
            now: snapshot().visit.programs.length,
            file: found.snap.visit.programs.length,
          });
          if (!window.confirm(question)) {
            say(t.visit_not_changed);
            return;
          }
          apply(found.snap);
        },
        () => say(t.visit_file_damaged)
      );
    }

    function clearAll() {
      if (!window.confirm(t.visit_confirm_clear)) {
        return;
      }
      memory = null;
      // Every key of this site: My visit's, the sheets', and any other under this site's prefix.
      const keys = [VISIT_KEY].concat(SHEET_NAMES.map(sheetKey));
      let removed = Boolean(storage);
      if (storage) {
        try {
          for (let i = storage.length - 1; i >= 0; i -= 1) {
            const key = storage.key(i);
            if (key !== null && key.startsWith(keyFor(""))) {
              keys.push(key);
            }
          }
        } catch (error) {
          removed = false;
        }
      }
      for (const key of keys) {
        removed = writeKey(key, null) && readKey(key) === null && removed;
      }
      render();
      if (removed) {
        showSaving(canWrite());
        say(t.visit_cleared);
      } else {
        say(t.visit_cleared_page_only);
      }
    }

    /* ---- Start ---- */

    for (const host of root.querySelectorAll("[data-so-visit-host]")) {
      const home = document.querySelector("a.md-logo");
      const url = new URL(home ? home.href : "/", window.location.href);
      host.textContent = (url.host + url.pathname).replace(/\/+$/, "") || window.location.host;
    }
    render();
    showSaving(canWrite());
    for (const hidden of root.querySelectorAll("[data-so-visit-js]")) {
      hidden.hidden = false;
    }

    root.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (!button || !root.contains(button)) {
        return;
      }
      if (button.hasAttribute("data-so-visit-print")) {
        window.print();
      } else if (button.hasAttribute("data-so-visit-save")) {
        saveFile();
      } else if (button.hasAttribute("data-so-visit-open")) {
        fileInput.value = ""; // the same file chosen twice is read twice
        fileInput.click();
      } else if (button.hasAttribute("data-so-visit-clear")) {
        clearAll();
      } else if (button.hasAttribute("data-so-visit-remove")) {
        removeProgram(button.getAttribute("data-so-visit-remove"));
      }
    });
    root.addEventListener("change", (event) => {
      if (event.target === fileInput) {
        openFile(fileInput.files && fileInput.files[0]);
      } else if (event.target === chooser) {
        choose(chooser.value);
      } else if (event.target.hasAttribute("data-so-visit-tick")) {
        tick(event.target);
      }
    });
    return render;
  }

  /* ---- Start ------------------------------------------------------------------------------------ */

  const refreshButtons = setUpSaveButtons();
  const visitRoot = document.querySelector("[data-so-visit]");
  const renderVisit = visitRoot ? setUpVisitPage(visitRoot) : null;
  if (!refreshButtons && !renderVisit) {
    return;
  }

  function refreshAll() {
    if (refreshButtons) {
      refreshButtons();
    }
    if (renderVisit) {
      renderVisit();
    }
  }

  // Another tab saved a program, ticked or typed on a sheet, or cleared: show it here too.
  const watched = new Set([VISIT_KEY].concat(SHEET_NAMES.map(sheetKey)));
  window.addEventListener("storage", (event) => {
    if (event.key === null || watched.has(event.key)) {
      refreshAll();
    }
  });
  // Back and Forward can bring a page back as it was; something may have been saved since.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) {
      refreshAll();
    }
  });
})();
