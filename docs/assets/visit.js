/* The My visit page (/visit/, /es/visit/): the programs saved with "Save for my visit", the family's
   questions and records checklist, one printed packet, a file to take it all to another device, and
   Clear. What it shows comes from this browser (visit-store.js) and from the data block the page carries;
   a file is made and read on this device, and nothing is sent anywhere. */
(function () {
  "use strict";

  const SETTINGS = Object.freeze({
    // The layout of a saved file. A file of another version is refused whole.
    fileFormat: "second-opinions-my-visit",
    fileVersion: 1,
    // A real visit file is a few kilobytes; anything this large is not one, and is not read.
    fileMaxBytes: 1024 * 1024,
  });

  const store = window.soVisitStore;
  const visitRoot = document.querySelector("[data-so-visit]");
  if (!store || !visitRoot) {
    return;
  }
  const {
    PROGRAM_ID, SHEET_NAMES, VISIT_KEY, canWrite, cleanSheet, cleanVisit, el, fill, isObject, isOurs, oldSheetKey, readJSON,
    readKey, readSheet, readVisit, sheetIsEmpty, sheetKey, sheetText, srOnly, statusSayer, storedKeys, visitText,
    writeKey, writeVisit,
  } = store;

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
          facts.append(fact(t.fact_who, p.who_can_ask));
          facts.append(fact(t.fact_how, p.formats ? p.formats.join("; ") : ""));
          facts.append(fact(t.phone, p.phone ? el("a", { href: p.tel }, p.phone) : ""));
          if (p.email) {
            facts.append(fact(t.email, el("a", { href: "mailto:" + p.email }, p.email)));
          }
          facts.append(fact(t.visit_page, el("a", { href: p.url }, p.url)));
          facts.append(fact(t.fact_cost, p.cost || "", p.cost_en));
          facts.append(fact(t.records, p.records.length ? el("ul", {}, ...p.records.map((r) => el("li", {}, r))) : "", true));
          if (p.note) {
            facts.append(fact(t.note, p.note, p.note_en));
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
        state.ticks[input.soProgram] = state.ticks[input.soProgram] || {};
        const list = state.ticks[input.soProgram];
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
      } catch {
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
      } catch {
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
      const snap = { visit: cleanVisit({ v: store.stateVersion, programs: programs, chosen: raw.chosen, ticks: ticks }), sheets: {} };
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
        keys.forEach((key, i) => {
          writeKey(key, before[i]);
        });
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
      const stored = storedKeys();
      const keys = [VISIT_KEY].concat(SHEET_NAMES.map(sheetKey), SHEET_NAMES.map(oldSheetKey), (stored || []).filter(isOurs));
      let removed = stored !== null;
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

  const render = setUpVisitPage(visitRoot);
  if (render) {
    store.onChange(render);
  }
})();
