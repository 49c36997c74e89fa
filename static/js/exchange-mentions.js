// The people picker of the peer exchange's forms. In a textarea with data-mentions="<url>" (or
// any textarea of a form that has it), typing @ and two letters of a name lists the members and
// experts of that name (the url answers ?q=<text> with JSON: exchange.views.browse.people);
// choosing one with the arrow keys and Enter, or by pointer, puts its mention token
// (@[Name](member:12)) in place of what was typed. Tab leaves the list, in the page's order.
// Without this script the textarea stays a plain textarea: a token can be typed by hand.
(function () {
  "use strict";

  // "@" at the start or after a space or bracket, then one or two words of a name.
  var TYPED = /(^|[\s(])@([^\s@[\]()]{2,}(?: [^\s@[\]()]*)?)$/;
  var WAIT_MS = 200;
  var pickers = 0;

  function setup(textarea) {
    var holder = textarea.closest("[data-mentions]");
    var url = holder && holder.getAttribute("data-mentions");
    if (!url || !window.fetch || textarea.hasAttribute("aria-controls")) return;
    var id = "mentions-" + (++pickers);
    var list = document.createElement("ul");
    list.id = id;
    list.className = "mentions-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    textarea.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", id);

    var people = [];
    var active = -1;
    var typed = null; // {start, end, query}: the "@name" being typed
    var timer = null;
    var asked = 0;

    function close() {
      people = [];
      active = -1;
      list.hidden = true;
      list.textContent = "";
      textarea.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      active = index;
      var options = list.children;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      if (index >= 0 && options[index]) {
        textarea.setAttribute("aria-activedescendant", options[index].id);
        if (options[index].scrollIntoView) options[index].scrollIntoView({ block: "nearest" });
      } else {
        textarea.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var person = people[index];
      if (!person || !typed) return;
      var value = textarea.value;
      var before = value.slice(0, typed.start);
      var after = value.slice(typed.end);
      var inserted = person.token + (after.charAt(0) === " " ? "" : " ");
      textarea.value = before + inserted + after;
      var caret = before.length + inserted.length;
      textarea.setSelectionRange(caret, caret);
      typed = null;
      close();
      status.textContent = "";
      textarea.focus();
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function show(answer) {
      people = answer.results || [];
      list.textContent = "";
      if (answer.label) list.setAttribute("aria-label", answer.label);
      status.textContent = answer.status || "";
      if (!people.length) {
        close();
        return;
      }
      people.forEach(function (person, index) {
        var option = document.createElement("li");
        option.id = id + "-" + index;
        option.setAttribute("role", "option");
        var name = document.createElement("span");
        name.className = "mentions-name";
        name.textContent = person.name;
        option.appendChild(name);
        if (person.detail) {
          var detail = document.createElement("span");
          detail.className = "mentions-detail";
          detail.textContent = person.detail;
          option.appendChild(detail);
        }
        // mousedown would take the focus from the textarea, and the caret with it.
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { choose(index); });
        list.appendChild(option);
      });
      list.hidden = false;
      highlight(0);
    }

    function ask(query) {
      var number = ++asked;
      var separator = url.indexOf("?") === -1 ? "?" : "&";
      fetch(url + separator + "q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (answer) { if (number === asked && typed) show(answer); })
        .catch(function () { if (number === asked) close(); });
    }

    function look() {
      var caret = textarea.selectionStart;
      if (caret !== textarea.selectionEnd) { typed = null; close(); return; }
      var found = TYPED.exec(textarea.value.slice(0, caret));
      if (!found) { typed = null; close(); return; }
      var query = found[2];
      typed = { start: caret - query.length - 1, end: caret, query: query };
      clearTimeout(timer);
      timer = setTimeout(function () { ask(query.trim()); }, WAIT_MS);
    }

    textarea.addEventListener("input", look);
    textarea.addEventListener("click", look);
    textarea.addEventListener("keydown", function (event) {
      if (list.hidden || !people.length) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % people.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight((active - 1 + people.length) % people.length);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        typed = null;
        close();
      }
    });
    textarea.addEventListener("blur", function () {
      // After a click on an option has chosen it.
      setTimeout(close, 150);
    });
  }

  document.querySelectorAll("textarea[data-mentions], [data-mentions] textarea").forEach(setup);
})();
