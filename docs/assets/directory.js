/* Directory filters: show and hide the programs already in the page. No framework, no network.
   The filter state lives in the query string (?q=&country=&region=&format=&international=),
   so a filtered view can be shared, bookmarked, and restored with Back and Forward. */
(function () {
  "use strict";

  var root = document.querySelector("[data-directory]");
  if (!root) return;

  var form = root.querySelector("[data-filters]");
  var status = root.querySelector("[data-status]");
  var empty = root.querySelector("[data-empty]");
  var programs = Array.prototype.slice.call(root.querySelectorAll("[data-program-id]"));
  var groups = Array.prototype.slice.call(root.querySelectorAll("[data-group]"));
  var total = programs.length;
  var fields = {
    q: form.elements.q,
    country: form.elements.country,
    region: form.elements.region,
    format: form.elements.format,
    international: form.elements.international
  };

  // Lower case, accents removed: "Québec" matches "quebec".
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ");
  }

  var records = programs.map(function (el) {
    return {
      el: el,
      text: fold(el.textContent),
      country: el.getAttribute("data-country"),
      region: el.getAttribute("data-region"),
      formats: (el.getAttribute("data-formats") || "").split(" "),
      international: el.getAttribute("data-international"),
      groups: groups.filter(function (g) { return g.contains(el); }), // its country and region
      shown: true
    };
  });

  function hasOption(select, value) {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === value) return true;
    }
    return false;
  }

  // Read the query string into the controls. Unknown values are ignored, never shown.
  function readURL() {
    var params = new URLSearchParams(window.location.search);
    fields.q.value = (params.get("q") || "").slice(0, 200);
    ["country", "region", "format"].forEach(function (name) {
      var value = params.get(name) || "";
      fields[name].value = hasOption(fields[name], value) ? value : "";
    });
    fields.international.checked = params.get("international") === "yes";
    limitRegions();
  }

  function currentState() {
    var params = new URLSearchParams();
    if (fields.q.value.trim()) params.set("q", fields.q.value.trim());
    ["country", "region", "format"].forEach(function (name) {
      if (fields[name].value) params.set(name, fields[name].value);
    });
    if (fields.international.checked) params.set("international", "yes");
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "") + window.location.hash;
  }

  function writeURL(push) {
    var next = currentState();
    if (next === window.location.pathname + window.location.search + window.location.hash) return;
    if (push) window.history.pushState(null, "", next);
    else window.history.replaceState(null, "", next);
  }

  // Only offer the regions of the chosen country.
  function limitRegions() {
    var country = fields.country.value;
    var groupsOfRegions = fields.region.querySelectorAll("optgroup");
    for (var i = 0; i < groupsOfRegions.length; i++) {
      var options = groupsOfRegions[i].querySelectorAll("option");
      var match = !country || (options[0] && options[0].getAttribute("data-country") === country);
      groupsOfRegions[i].hidden = !match;
      groupsOfRegions[i].disabled = !match;
    }
    var chosen = fields.region.selectedOptions[0];
    if (country && chosen && chosen.value && chosen.getAttribute("data-country") !== country) {
      fields.region.value = "";
    }
  }

  function apply() {
    var words = fold(fields.q.value).trim().split(" ").filter(Boolean);
    var country = fields.country.value;
    var region = fields.region.value;
    var format = fields.format.value;
    var international = fields.international.checked;
    var count = 0;
    var groupsInUse = new Set();
    for (var i = 0; i < records.length; i++) {
      var r = records[i];
      var show =
        (!country || r.country === country) &&
        (!region || r.region === region) &&
        (!format || r.formats.indexOf(format) !== -1) &&
        (!international || r.international === "yes");
      for (var w = 0; show && w < words.length; w++) {
        show = r.text.indexOf(words[w]) !== -1;
      }
      if (show !== r.shown) {
        r.el.hidden = !show;
        r.shown = show;
      }
      if (show) {
        count++;
        r.groups.forEach(function (g) { groupsInUse.add(g); });
      }
    }
    // A place heading shows only while a program under it does.
    groups.forEach(function (group) {
      var hide = !groupsInUse.has(group);
      if (group.hidden !== hide) group.hidden = hide;
    });
    empty.hidden = count !== 0;
    var text = count + " of " + total + " programs shown.";
    if (status.textContent !== text) status.textContent = text;
  }

  // Typing: one history entry per burst of typing, updated as the words change.
  var typingTimer = null;
  fields.q.addEventListener("input", function () {
    writeURL(typingTimer === null);
    window.clearTimeout(typingTimer);
    typingTimer = window.setTimeout(function () { typingTimer = null; }, 1000);
    apply();
  });

  form.addEventListener("change", function (event) {
    if (event.target === fields.q) return;
    if (event.target === fields.country) limitRegions();
    writeURL(true);
    apply();
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault(); // Enter in the search box: the list is already filtered
  });

  Array.prototype.forEach.call(root.querySelectorAll("[data-clear]"), function (button) {
    button.addEventListener("click", function () {
      form.reset();
      limitRegions();
      writeURL(true);
      apply();
      fields.q.focus();
    });
  });

  window.addEventListener("popstate", function () {
    readURL();
    apply();
  });

  form.hidden = false;
  readURL();
  apply();
})();
