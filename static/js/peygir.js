// Small behaviours shared by every page. No inline scripts anywhere (Content-Security-Policy).
(function () {
  "use strict";

  // Copy buttons: <button data-copy="text">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var text = button.getAttribute("data-copy");
    var done = function () {
      var label = button.getAttribute("data-copied") || "✓";
      var original = button.textContent;
      button.textContent = label;
      setTimeout(function () { button.textContent = original; }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done);
    } else {
      var area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      try { document.execCommand("copy"); done(); } finally { document.body.removeChild(area); }
    }
  });

  // Confirm dangerous actions: <form data-confirm="…">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });

  // Filter a list as one types: <input data-filter="#list"> over children with data-search.
  var fold = function (s) {
    return (s || "").replace(/ي/g, "ی").replace(/ك/g, "ک").replace(/\u200c/g, " ").toLowerCase();
  };
  var applyFilter = function (input) {
    var selector = input.getAttribute && input.getAttribute("data-filter");
    if (!selector) return;
    var query = fold(input.value).trim();
    document.querySelectorAll(selector + " [data-search]").forEach(function (item) {
      var match = !query || fold(item.getAttribute("data-search")).indexOf(query) !== -1;
      item.classList.toggle("hidden", !match);
    });
  };
  document.addEventListener("input", function (event) { applyFilter(event.target); });
  // Text typed before this script ran (a slow connection) or restored by the browser (back button)
  // filters too.
  document.querySelectorAll("[data-filter]").forEach(function (input) {
    if (input.value) input.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
