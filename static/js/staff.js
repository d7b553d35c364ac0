// Staff pages: pause live refresh while someone is working, fill answers from response templates.
// No inline scripts anywhere (Content-Security-Policy).
(function () {
  "use strict";

  // Live refresh (htmx polling of [data-poll] elements) waits while the person is typing in the
  // filters, has cases ticked for bulk assignment, or has an open select: a swap would throw it away.
  function busy() {
    var active = document.activeElement;
    if (active && active.closest && active.closest("#kartable-filters, #bulk-form")) {
      var tag = active.tagName;
      if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") return true;
    }
    return !!document.querySelector("#bulk-form input[type=checkbox]:checked");
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (elt && elt.hasAttribute && elt.hasAttribute("data-poll") && busy()) event.preventDefault();
  });

  // Response templates: <select data-template-for="textarea-id" data-resolution-for="select-id">
  // whose options carry data-body (already filled in for this case by the server) and data-resolution.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches("select[data-template-for]")) return;
    var option = select.options[select.selectedIndex];
    var body = option && option.getAttribute("data-body");
    if (!body) return;
    var area = document.getElementById(select.getAttribute("data-template-for"));
    if (area) {
      area.value = body;
      area.dispatchEvent(new Event("input", { bubbles: true }));
    }
    var resolution = option.getAttribute("data-resolution");
    var target = document.getElementById(select.getAttribute("data-resolution-for") || "");
    if (resolution && target) target.value = resolution;
  });

  // Tick every case on the page at once: <input type="checkbox" data-check-all="#bulk-form">.
  document.addEventListener("change", function (event) {
    var box = event.target;
    var scope = box.getAttribute && box.getAttribute("data-check-all");
    if (!scope) return;
    document.querySelectorAll(scope + " input[name=cases]").forEach(function (item) {
      item.checked = box.checked;
    });
  });
})();
