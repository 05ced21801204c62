/* Directory filters: show and hide the programs already in the page. No framework, no network.
   The filter state lives in the query string (?q=&country=&region=&format=&international=),
   so a filtered view can be shared, bookmarked, and restored with Back and Forward. */
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
  const fields = {
    q: form.elements.q,
    country: form.elements.country,
    region: form.elements.region,
    format: form.elements.format,
    international: form.elements.international,
  };
  const selectNames = ["country", "region", "format"];

  // Lower case, accents removed: "Québec" matches "quebec".
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ");
  }

  const records = programs.map((el) => ({
    el: el,
    text: fold(el.textContent),
    country: el.getAttribute("data-country"),
    region: el.getAttribute("data-region"),
    formats: (el.getAttribute("data-formats") || "").split(" "),
    international: el.getAttribute("data-international"),
    groups: groups.filter((group) => group.contains(el)), // its country and region
    shown: true,
  }));

  function hasOption(select, value) {
    return Array.from(select.options).some((option) => option.value === value);
  }

  // Read the query string into the controls. Unknown values are ignored, never shown.
  function readURL() {
    const params = new URLSearchParams(window.location.search);
    fields.q.value = (params.get("q") || "").slice(0, SETTINGS.queryMaxLength);
    for (const name of selectNames) {
      const value = params.get(name) || "";
      fields[name].value = hasOption(fields[name], value) ? value : "";
    }
    fields.international.checked = params.get("international") === "yes";
    limitRegions();
  }

  function currentState() {
    const params = new URLSearchParams();
    if (fields.q.value.trim()) {
      params.set("q", fields.q.value.trim());
    }
    for (const name of selectNames) {
      if (fields[name].value) {
        params.set(name, fields[name].value);
      }
    }
    if (fields.international.checked) {
      params.set("international", "yes");
    }
    const query = params.toString();
    return window.location.pathname + (query ? "?" + query : "") + window.location.hash;
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
    const country = fields.country.value;
    const region = fields.region.value;
    const format = fields.format.value;
    const international = fields.international.checked;
    const groupsInUse = new Set();
    let count = 0;
    for (const r of records) {
      let show =
        (!country || r.country === country) &&
        (!region || r.region === region) &&
        (!format || r.formats.indexOf(format) !== -1) &&
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
        for (const group of r.groups) {
          groupsInUse.add(group);
        }
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
    const text = count + " of " + total + " programs shown.";
    if (status.textContent !== text) {
      status.textContent = text;
    }
  }

  // Typing: one history entry per burst of typing, updated as the words change.
  let typingTimer = null;
  fields.q.addEventListener("input", () => {
    writeURL(typingTimer === null);
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
    apply();
  });

  form.hidden = false;
  readURL();
  apply();
})();
