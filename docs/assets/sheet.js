/* Question sheet and records checklist.
   Runs only on a page with <form class="so-sheet" data-so-sheet="...">; on every other page it does nothing.
   What a parent types stays in this browser: it is kept in localStorage under "so-sheet:<name>"
   so it survives a reload, and the Clear button removes it. Nothing is ever sent anywhere. */
(function () {
  "use strict";

  var root = document.querySelector("form.so-sheet[data-so-sheet]");
  if (!root) {
    return;
  }

  var KEY = "so-sheet:" + root.getAttribute("data-so-sheet");
  var ownList = root.querySelector("[data-so-own-list]");
  var newQuestion = root.querySelector("#so-new-q");
  var statusBox = root.querySelector("[data-so-status]");
  var ownCount = 0;

  /* localStorage can be missing or blocked (private windows, strict settings): then we simply keep nothing. */
  var store = (function () {
    try {
      var s = window.localStorage;
      s.setItem("so-sheet:test", "1");
      s.removeItem("so-sheet:test");
      return s;
    } catch (e) {
      return null;
    }
  })();

  function say(message) {
    if (!statusBox) {
      return;
    }
    statusBox.textContent = "";
    window.setTimeout(function () {
      statusBox.textContent = message;
    }, 50);
  }

  /* Text fields and answer boxes we keep: everything with an id except the "new question" box. */
  function textFields() {
    return Array.prototype.filter.call(
      root.querySelectorAll("input[type='text'][id], textarea[id]"),
      function (el) {
        return el !== newQuestion && !el.closest("[data-so-own]");
      }
    );
  }

  function checkboxes() {
    return Array.prototype.slice.call(root.querySelectorAll("input[type='checkbox'][id]"));
  }

  /* Each answer box gets a plain-text copy for printing, so long answers print in full on every browser. */
  function addPrintCopy(textarea) {
    textarea.setAttribute("placeholder", " "); // lets CSS tell an empty box (:placeholder-shown) from a filled one
    var copy = document.createElement("div");
    copy.className = "so-q__typed";
    copy.setAttribute("aria-hidden", "true");
    textarea.insertAdjacentElement("afterend", copy);
    syncPrintCopy(textarea);
  }

  function syncPrintCopy(textarea) {
    var copy = textarea.nextElementSibling;
    if (copy && copy.classList.contains("so-q__typed")) {
      copy.textContent = textarea.value;
    }
  }

  function makeOwnItem(text, answer) {
    ownCount += 1;
    var n = ownCount;
    var li = document.createElement("li");
    li.className = "so-q so-q--own";
    li.setAttribute("data-so-own", "");

    var p = document.createElement("p");
    p.className = "so-q__text";
    p.id = "q-own-" + n;
    p.textContent = text;

    var pick = document.createElement("div");
    pick.className = "so-q__pick";
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "md-button so-q__remove";
    remove.setAttribute("data-so-remove", "");
    remove.appendChild(document.createTextNode("Remove"));
    var hint = document.createElement("span");
    hint.className = "so-sr-only";
    hint.textContent = " your question: " + text;
    remove.appendChild(hint);
    pick.appendChild(remove);

    var box = document.createElement("div");
    box.className = "so-q__answer";
    var area = document.createElement("textarea");
    area.id = "a-own-" + n;
    area.rows = 2;
    area.setAttribute("aria-labelledby", p.id);
    area.value = answer || "";
    box.appendChild(area);

    li.appendChild(p);
    li.appendChild(pick);
    li.appendChild(box);
    ownList.appendChild(li);
    addPrintCopy(area);
    return li;
  }

  function ownItems() {
    return ownList ? Array.prototype.slice.call(ownList.querySelectorAll("[data-so-own]")) : [];
  }

  /* ---- Keep and restore ------------------------------------------------------------------ */

  function isUntouched(state) {
    var id;
    for (id in state.fields) {
      if (state.fields[id]) {
        return false;
      }
    }
    for (id in state.checks) {
      var box = document.getElementById(id);
      if (box && state.checks[id] !== box.defaultChecked) {
        return false;
      }
    }
    return state.own.length === 0;
  }

  function save() {
    if (!store) {
      return;
    }
    var state = { v: 1, fields: {}, checks: {}, own: [] };
    textFields().forEach(function (el) {
      state.fields[el.id] = el.value;
    });
    checkboxes().forEach(function (el) {
      state.checks[el.id] = el.checked;
    });
    ownItems().forEach(function (li) {
      state.own.push({
        text: li.querySelector(".so-q__text").textContent,
        answer: li.querySelector("textarea").value,
      });
    });
    try {
      if (isUntouched(state)) {
        store.removeItem(KEY); // nothing typed or changed: keep nothing on the device
      } else {
        store.setItem(KEY, JSON.stringify(state));
      }
    } catch (e) {
      /* Storage full or blocked: the sheet still works, it just will not survive a reload. */
    }
  }

  function restore() {
    if (!store) {
      return;
    }
    var state;
    try {
      state = JSON.parse(store.getItem(KEY) || "null");
    } catch (e) {
      state = null;
    }
    if (!state || typeof state !== "object") {
      return;
    }
    var fields = state.fields || {};
    textFields().forEach(function (el) {
      if (typeof fields[el.id] === "string") {
        el.value = fields[el.id];
      }
    });
    var checks = state.checks || {};
    checkboxes().forEach(function (el) {
      if (typeof checks[el.id] === "boolean") {
        el.checked = checks[el.id];
      }
    });
    if (ownList && Array.isArray(state.own)) {
      state.own.forEach(function (item) {
        if (item && typeof item.text === "string" && item.text.trim()) {
          makeOwnItem(item.text, typeof item.answer === "string" ? item.answer : "");
        }
      });
    }
  }

  /* ---- Actions ---------------------------------------------------------------------------- */

  function addQuestion() {
    var text = newQuestion.value.trim();
    if (!text) {
      say("Type your question in the box first.");
      newQuestion.focus();
      return;
    }
    makeOwnItem(text, "");
    newQuestion.value = "";
    newQuestion.focus();
    save();
    say("Added your question: " + text);
  }

  function removeQuestion(li) {
    var items = ownItems();
    var i = items.indexOf(li);
    var next = items[i + 1] || items[i - 1];
    li.parentNode.removeChild(li);
    save();
    if (next) {
      next.querySelector("[data-so-remove]").focus();
    } else if (newQuestion) {
      newQuestion.focus();
    }
    say("Removed your question.");
  }

  function clearAll() {
    var ok = window.confirm(
      "Clear this sheet? This wipes everything you typed and ticked here, and the copy kept on this device."
    );
    if (!ok) {
      return;
    }
    textFields().forEach(function (el) {
      el.value = "";
      syncPrintCopy(el);
    });
    checkboxes().forEach(function (el) {
      el.checked = el.defaultChecked;
    });
    ownItems().forEach(function (li) {
      li.parentNode.removeChild(li);
    });
    if (newQuestion) {
      newQuestion.value = "";
    }
    if (store) {
      try {
        store.removeItem(KEY);
      } catch (e) {
        /* nothing to remove */
      }
    }
    say("Cleared. Nothing from this sheet is kept on this device now.");
  }

  /* ---- Start ------------------------------------------------------------------------------ */

  Array.prototype.forEach.call(root.querySelectorAll(".so-q__answer textarea"), addPrintCopy);
  restore();

  Array.prototype.forEach.call(root.querySelectorAll("[data-so-host]"), function (el) {
    var home = document.querySelector("a.md-logo");
    var url = new URL(home ? home.href : "/", window.location.href);
    el.textContent = (url.host + url.pathname).replace(/\/+$/, "") || window.location.host;
  });

  Array.prototype.forEach.call(root.querySelectorAll("[data-so-js]"), function (el) {
    el.hidden = false;
  });

  root.addEventListener("submit", function (event) {
    event.preventDefault();
  });

  root.addEventListener("input", function (event) {
    if (event.target === newQuestion) {
      return;
    }
    if (event.target.tagName === "TEXTAREA") {
      syncPrintCopy(event.target);
    }
    save();
  });

  root.addEventListener("change", function (event) {
    if (event.target.type === "checkbox") {
      save();
    }
  });

  root.addEventListener("click", function (event) {
    var button = event.target.closest("button");
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
    newQuestion.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        addQuestion();
      }
    });
  }
})();
