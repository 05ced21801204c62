/* Directory filters: show and hide the programs already in the page. No framework, no network.
   The filter state lives in the query string (?search=&ask=&country=&region=&format=&cancer=&language=&international=),
   never ?q=: Material opens its site-wide search over the page when the address has a q parameter.
   so a filtered view can be shared, bookmarked, and restored with Back and Forward. The table that
   compares programs shows the same programs, and sorts by a column's button. */
(function () {
  "use strict";

  const SETTINGS = Object.freeze({
    // Longest search text read from a shared address: far more than any real search, and it keeps a
    // pasted or crafted address from making every keystroke scan the page with thousands of words.
    queryMaxLength: 200,
    // Typing that pauses for less than this is one search: Back undoes the whole search, not one letter.
    typingBurstMs: 1000,
  });

  const root = document.querySelector("[data-directory]");
  if (!root) {
    return;
  }

  const form = root.querySelector("[data-filters]");
  const status = root.querySelector("[data-status]");
  const empty = root.querySelector("[data-empty]");
  const programs = Array.from(root.querySelectorAll("[data-program-id]"));
  const groups = Array.from(root.querySelectorAll("[data-group]"));
  const total = programs.length;
  // The status line in the page's language, from the page ("{count} of {total} programs shown.").
  const statusTemplate = status.getAttribute("data-template");
  const more = form.querySelector("[data-more]");
  const clearActions = form.querySelector(".so-filters__actions");
  const fields = {
    q: form.elements.search,
    ask: form.elements.ask || null, // no choice when no program says who can ask
    country: form.elements.country,
    region: form.elements.region,
    format: form.elements.format,
    cancer: form.elements.cancer || null, // no kinds to choose when no program names any
    language: form.elements.language,
    international: form.elements.international,
  };
  const selectNames = ["ask", "country", "region", "format", "cancer"].filter((name) => fields[name]);
  // Checkboxes: name -> the one value each stands for in the address.
  const checkValues = { language: "es", international: "yes" };

  // Lower case, accents removed: "Québec" matches "quebec".
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ");
  }

  // What a search looks through: the entry's words, not its links and buttons ([data-program-actions]).
  function searchText(el) {
    let text = "";
    for (const child of el.children) {
      if (!child.hasAttribute("data-program-actions")) {
        text += " " + child.textContent;
      }
    }
    return fold(text);
  }

  // A search finds a program by its place too: the country and region (or city) that head its group.
  const placeWords = new Map();
  function groupText(group) {
    if (!placeWords.has(group)) {
      placeWords.set(group, fold(group.firstElementChild.textContent));
    }
    return placeWords.get(group);
  }

  const rows = new Map(
    Array.from(root.querySelectorAll("[data-row-for]")).map((row) => [row.getAttribute("data-row-for"), row])
  );
  const records = programs.map((el) => {
    // Its country and region: the sections holding it, from the closest out.
    const groups = [el.closest("[data-group]"), el.closest("[data-group]").parentElement.closest("[data-group]")];
    return {
      el: el,
      text: searchText(el) + " " + groupText(groups[0]) + " " + groupText(groups[1]),
      country: el.getAttribute("data-country"),
      region: el.getAttribute("data-region"),
      formats: (el.getAttribute("data-formats") || "").split(" "),
      cancer: (el.getAttribute("data-cancer") || "").split(" "),
      languages: (el.getAttribute("data-languages") || "").split(" "),
      ask: (el.getAttribute("data-ask") || "").split(" "),
      international: el.getAttribute("data-international"),
      groups: groups,
      row: rows.get(el.getAttribute("data-program-id")) || null,
      shown: true,
    };
  });

  function hasOption(select, value) {
    return Array.from(select.options).some((option) => option.value === value);
  }

  // Choose the place `value` of `country` (of any country when none is given): two countries can have a
  // place of the same name (Limburg, in Belgium and in the Netherlands), and only its own one will do.
  function chooseRegion(value, country) {
    const option = Array.from(fields.region.options).find(
      (o) => o.value === value && (!country || o.getAttribute("data-country") === country)
    );
    fields.region.selectedIndex = option ? option.index : 0;
  }

  // Read the query string into the controls. Unknown values are ignored, never shown.
  function readURL() {
    const params = new URLSearchParams(window.location.search);
    fields.q.value = (params.get("search") || "").slice(0, SETTINGS.queryMaxLength);
    for (const name of selectNames) {
      const value = params.get(name) || "";
      if (name === "region") {
        chooseRegion(value, fields.country.value);
      } else {
        fields[name].value = hasOption(fields[name], value) ? value : "";
      }
    }
    for (const name in checkValues) {
      fields[name].checked = params.get(name) === checkValues[name];
    }
    limitRegions();
  }

  // A folded filter set by the address is shown, so the reader sees why programs are missing.
  function showFoldedFilters() {
    if (selectNames.some((name) => fields[name].value) || Object.keys(checkValues).some((name) => fields[name].checked)) {
      more.open = true;
    }
  }

  function currentState() {
    const params = new URLSearchParams();
    if (fields.q.value.trim()) {
      params.set("search", fields.q.value.trim());
    }
    for (const name of selectNames) {
      if (fields[name].value) {
        params.set(name, fields[name].value);
      }
    }
    for (const name in checkValues) {
      if (fields[name].checked) {
        params.set(name, checkValues[name]);
      }
    }
    const query = params.toString();
    return window.location.pathname + (query ? "?" + query : "") + window.location.hash;
  }

  // While typing, the address follows just after the next paint: the list answers the key at once, and
  // the history call (a few milliseconds with a long list) waits. Several keys in one frame write once.
  let pendingWrite = null; // null, or whether the write to come adds a history entry
  function writeURLSoon(push) {
    if (pendingWrite !== null) {
      pendingWrite = pendingWrite || push;
      return;
    }
    pendingWrite = push;
    window.requestAnimationFrame(() => {
      window.setTimeout(() => {
        const addEntry = pendingWrite;
        pendingWrite = null;
        writeURL(addEntry);
      }, 0);
    });
  }

  function writeURL(push) {
    const next = currentState();
    if (next === window.location.pathname + window.location.search + window.location.hash) {
      return;
    }
    if (push) {
      window.history.pushState(null, "", next);
    } else {
      window.history.replaceState(null, "", next);
    }
  }

  // Only offer the regions of the chosen country.
  function limitRegions() {
    const country = fields.country.value;
    for (const group of fields.region.querySelectorAll("optgroup")) {
      const first = group.querySelector("option");
      const match = !country || (first && first.getAttribute("data-country") === country);
      group.hidden = !match;
      group.disabled = !match;
    }
    const chosen = fields.region.selectedOptions[0];
    if (country && chosen && chosen.value && chosen.getAttribute("data-country") !== country) {
      fields.region.value = "";
    }
  }

  function apply() {
    const words = fold(fields.q.value).trim().split(" ").filter(Boolean);
    const ask = fields.ask ? fields.ask.value : "";
    const country = fields.country.value;
    const region = fields.region.value;
    const format = fields.format.value;
    const cancer = fields.cancer ? fields.cancer.value : "";
    const spanish = fields.language.checked;
    const international = fields.international.checked;
    const groupsInUse = new Set();
    let count = 0;
    for (const r of records) {
      let show =
        // A program whose pages do not say who can ask is left out once a choice is made.
        (!ask || r.ask.indexOf(ask) !== -1) &&
        (!country || r.country === country) &&
        (!region || r.region === region) &&
        (!format || r.formats.indexOf(format) !== -1) &&
        // "all" takes every kind; a program that does not say which kinds it takes is left out.
        (!cancer || r.cancer.indexOf(cancer) !== -1 || r.cancer.indexOf("all") !== -1) &&
        (!spanish || r.languages.indexOf("es") !== -1) &&
        (!international || r.international === "yes");
      for (let w = 0; show && w < words.length; w++) {
        show = r.text.indexOf(words[w]) !== -1;
      }
      if (show !== r.shown) {
        r.el.hidden = !show;
        r.shown = show;
      }
      if (show) {
        count++;
        groupsInUse.add(r.groups[0]);
        groupsInUse.add(r.groups[1]);
      }
    }
    // A place heading shows only while a program under it does.
    for (const group of groups) {
      const hide = !groupsInUse.has(group);
      if (group.hidden !== hide) {
        group.hidden = hide;
      }
    }
    empty.hidden = count !== 0;
    syncRows();
    // "Clear filters" only while there is something to clear.
    const active = words.length > 0 || selectNames.some((name) => fields[name].value) ||
      Object.keys(checkValues).some((name) => fields[name].checked);
    if (clearActions.hidden === active) {
      clearActions.hidden = !active;
    }
    const text = statusTemplate.replace("{count}", String(count)).replace("{total}", String(total));
    if (status.textContent !== text) {
      status.textContent = text;
    }
  }

  // Typing: one history entry per burst of typing, updated as the words change.
  let typingTimer = null;
  fields.q.addEventListener("input", () => {
    writeURLSoon(typingTimer === null);
    window.clearTimeout(typingTimer);
    typingTimer = window.setTimeout(() => {
      typingTimer = null;
    }, SETTINGS.typingBurstMs);
    apply();
  });

  form.addEventListener("change", (event) => {
    if (event.target === fields.q) {
      return;
    }
    if (event.target === fields.country) {
      limitRegions();
    }
    // A place belongs to one country: choosing it chooses its country too, so the address says which
    // (a place of the same name elsewhere is another place) and restores it exactly.
    const place = fields.region.selectedOptions[0];
    if (event.target === fields.region && place && place.value && !fields.country.value) {
      fields.country.value = place.getAttribute("data-country");
      limitRegions();
    }
    writeURL(true);
    apply();
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault(); // Enter in the search box: the list is already filtered
  });

  for (const button of root.querySelectorAll("[data-clear]")) {
    button.addEventListener("click", () => {
      form.reset();
      limitRegions();
      writeURL(true);
      apply();
      fields.q.focus();
    });
  }

  window.addEventListener("popstate", () => {
    readURL();
    showFoldedFilters();
    apply();
  });

  // The table's rows follow the cards, while it is open (a closed table waits: fewer changes a key).
  const compare = root.querySelector("[data-compare]");
  function syncRows() {
    if (!compare || !compare.open) {
      return;
    }
    for (const r of records) {
      if (r.row && r.row.hidden === r.shown) {
        r.row.hidden = !r.shown;
      }
    }
  }
  if (compare) {
    compare.addEventListener("toggle", syncRows);
  }

  // The comparison table: a button in each column's header sorts by that column (WAI-ARIA APG,
  // sortable table). Cells that say "Not stated on its page" stay last either way.
  const table = root.querySelector("[data-compare-table]");
  if (table) {
    const body = table.tBodies[0];
    const heads = Array.from(table.tHead.rows[0].cells);
    const collator = new Intl.Collator(document.documentElement.lang || "en", { numeric: true, sensitivity: "base" });
    heads.forEach((th, column) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "so-compare__sort";
      button.append(...th.childNodes);
      th.append(button);
      button.addEventListener("click", () => {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        const keyed = Array.from(body.rows).map((row) => {
          const cell = row.cells[column];
          return { row: row, none: cell.querySelector(".so-not-stated") !== null, text: cell.textContent.trim() };
        });
        keyed.sort((a, b) => (a.none - b.none) || (ascending ? 1 : -1) * collator.compare(a.text, b.text));
        body.append(...keyed.map((k) => k.row));
        for (const other of heads) {
          other.removeAttribute("aria-sort");
        }
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      });
    });
  }

  form.hidden = false;
  readURL();
  // On arrival the fold is open exactly when the address sets a known folded filter (the page's first
  // script opened it for any value, to avoid a shift; an unknown one is ignored).
  more.open = false;
  showFoldedFilters();
  apply();
})();
