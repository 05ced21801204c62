/* "Save for my visit": a button on every program (each element with data-program-id) in the directory
   and on each program's page, when the page carries the button's words ([data-so-visit-words]). It keeps
   the program's id in this browser (visit-store.js); the My visit page (/visit/) shows what is saved. */
(function () {
  "use strict";

  const store = window.soVisitStore;
  if (!store) {
    return;
  }
  const { PROGRAM_ID, el, fill, isObject, readJSON, readVisit, srOnly, statusSayer, visitPageHref, writeVisit } = store;

  /* ---- "Save for my visit" ------------------------------------------------------------------------ */

  // Each program's name and institution from the page's structured data (JSON-LD: the directory's list, or
  // the program page's own), for the buttons' names and the saved label.
  function programNames() {
    const names = {};
    for (const block of document.querySelectorAll('script[type="application/ld+json"]')) {
      let data;
      try {
        data = JSON.parse(block.textContent);
      } catch {
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
    // region that says how many programs are shown (the directory's contract, tests/test_directory_es.py).
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
      // In a list entry, small, in its row of actions (the list stays short on a phone); on a program's
      // page, above its facts, where a reader meets it early; else at the end.
      const actions = holder.querySelector("[data-program-actions]");
      if (actions) {
        box.classList.add("so-save--inline");
        actions.append(el("li", {}, box));
      } else {
        const facts = Array.from(holder.children).find((child) => child.tagName === "DL");
        holder.insertBefore(box, facts || null);
      }
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

  const refresh = setUpSaveButtons();
  if (refresh) {
    store.onChange(refresh);
  }
})();
