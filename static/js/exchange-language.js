// The "Written in" select of the exchange's forms: while "Detect from the text" is chosen, its
// label says which language the text looks like (Cyrillic or Latin letters, as the server's
// guess in exchange/markup.py counts them). Nothing is sent anywhere; the server guesses again.
(function () {
  "use strict";
  var CYRILLIC = /[\u0400-\u04FF]/g;
  var LATIN = /[A-Za-z]/g;

  function guess(text) {
    var cyrillic = (text.match(CYRILLIC) || []).length;
    var latin = (text.match(LATIN) || []).length;
    if (!cyrillic && !latin) return "";
    return cyrillic >= latin ? "ru" : "en";
  }

  function wire(select) {
    var detect = select.querySelector('option[value=""]');
    if (!detect) return;
    var sources = document.querySelectorAll('[data-language-source="' + select.id + '"]');
    function update() {
      var text = "";
      sources.forEach(function (source) { text += " " + source.value; });
      var found = guess(text);
      var label = found ? select.dataset[found] : "";
      detect.textContent = label ? select.dataset.detect + " (" + label + ")" : select.dataset.detect;
    }
    sources.forEach(function (source) { source.addEventListener("input", update); });
    update();
  }

  document.querySelectorAll("select.exchange-language").forEach(wire);
})();
